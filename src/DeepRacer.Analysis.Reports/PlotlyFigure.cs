using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeepRacer.Analysis.Reports;

/// <summary>A plotly.js figure (traces and layout) built from chart data; rendered by the browser with hover and zoom.</summary>
public sealed class PlotlyFigure
{
    private readonly List<JsonObject> _traces = [];

    /// <summary>Creates an empty figure with a title.</summary>
    public PlotlyFigure(string title, string? xTitle = null, string? yTitle = null)
    {
        Title = title;
        Layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = title },
            ["margin"] = new JsonObject { ["l"] = 60, ["r"] = 30, ["t"] = 50, ["b"] = 50 },
            ["legend"] = new JsonObject { ["orientation"] = "h" },
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = xTitle ?? "" } },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = yTitle ?? "" } },
        };
    }

    /// <summary>The figure's title.</summary>
    public string Title { get; }

    /// <summary>The plotly layout object; add axes or shapes here.</summary>
    public JsonObject Layout { get; }

    /// <summary>Number of traces.</summary>
    public int TraceCount => _traces.Count;

    /// <summary>Adds a scatter trace (<paramref name="mode"/> <c>markers</c>, <c>lines</c> or <c>lines+markers</c>).</summary>
    /// <returns>The trace, for further styling.</returns>
    public JsonObject Scatter(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, string mode = "markers", string? color = null, string? yAxis = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var trace = new JsonObject
        {
            ["type"] = x.Count > 5000 ? "scattergl" : "scatter",
            ["name"] = name,
            ["mode"] = mode,
            ["x"] = Numbers(x),
            ["y"] = Numbers(y),
        };
        if (color is not null)
        {
            trace[mode.Contains("lines", StringComparison.Ordinal) ? "line" : "marker"] = new JsonObject { ["color"] = color };
        }

        if (yAxis is not null)
        {
            trace["yaxis"] = yAxis;
        }

        _traces.Add(trace);
        return trace;
    }

    /// <summary>Adds a scatter trace whose markers are coloured by <paramref name="values"/> (a colour scale).</summary>
    public JsonObject ColoredScatter(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double> values, string colorScale = "Plasma", string? colorTitle = null)
    {
        var trace = Scatter(name, x, y);
        trace["marker"] = new JsonObject
        {
            ["color"] = Numbers(values),
            ["colorscale"] = colorScale,
            ["size"] = 4,
            ["showscale"] = true,
            ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = colorTitle ?? name } },
        };
        return trace;
    }

    /// <summary>Adds a bar trace.</summary>
    public JsonObject Bar(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, string? color = null)
    {
        var trace = new JsonObject { ["type"] = "bar", ["name"] = name, ["x"] = Numbers(x), ["y"] = Numbers(y) };
        if (color is not null)
        {
            trace["marker"] = new JsonObject { ["color"] = color };
        }

        _traces.Add(trace);
        return trace;
    }

    /// <summary>Adds a bar trace over text categories.</summary>
    public JsonObject Bar(string name, IReadOnlyList<string> categories, IReadOnlyList<double> y)
    {
        var trace = new JsonObject { ["type"] = "bar", ["name"] = name, ["x"] = new JsonArray([.. categories.Select(c => (JsonNode?)JsonValue.Create(c))]), ["y"] = Numbers(y) };
        _traces.Add(trace);
        return trace;
    }

    /// <summary>Adds a histogram of the values (missing values skipped).</summary>
    public JsonObject Histogram(string name, IReadOnlyList<double> values, int bins = 20)
    {
        var trace = new JsonObject { ["type"] = "histogram", ["name"] = name, ["x"] = Numbers(values), ["nbinsx"] = bins };
        _traces.Add(trace);
        return trace;
    }

    /// <summary>Adds a heat map; <paramref name="z"/>[row][column] with NaN for empty cells.</summary>
    public JsonObject Heatmap(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, double[][] z, string colorScale = "Hot")
    {
        ArgumentNullException.ThrowIfNull(z);
        var trace = new JsonObject
        {
            ["type"] = "heatmap",
            ["name"] = name,
            ["x"] = Numbers(x),
            ["y"] = Numbers(y),
            ["z"] = new JsonArray([.. z.Select(row => (JsonNode?)Numbers(row))]),
            ["colorscale"] = colorScale,
        };
        _traces.Add(trace);
        return trace;
    }

    /// <summary>Keeps x and y in metres at the same scale (track plots).</summary>
    public PlotlyFigure EqualAxes()
    {
        ((JsonObject)Layout["yaxis"]!)["scaleanchor"] = "x";
        ((JsonObject)Layout["yaxis"]!)["scaleratio"] = 1;
        return this;
    }

    /// <summary>Adds a second y axis on the right.</summary>
    public PlotlyFigure SecondYAxis(string title, double? min = null, double? max = null)
    {
        var axis = new JsonObject { ["title"] = new JsonObject { ["text"] = title }, ["overlaying"] = "y", ["side"] = "right" };
        if (min is { } low && max is { } high && double.IsFinite(low) && double.IsFinite(high))
        {
            axis["range"] = new JsonArray(low, high);
        }

        Layout["yaxis2"] = axis;
        return this;
    }

    /// <summary>The figure as plotly.js JSON: <c>{"data": [...], "layout": {...}}</c>.</summary>
    public string ToJson()
    {
        var figure = new JsonObject
        {
            ["data"] = new JsonArray([.. _traces.Select(t => (JsonNode?)t.DeepClone())]),
            ["layout"] = Layout.DeepClone(),
        };
        return figure.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    /// <summary>NaN and infinities become null (plotly leaves a gap).</summary>
    private static JsonArray Numbers(IReadOnlyList<double> values)
    {
        var array = new JsonArray();
        foreach (var v in values)
        {
            array.Add((JsonNode?)(double.IsFinite(v) ? JsonValue.Create(v) : null));
        }

        return array;
    }
}
