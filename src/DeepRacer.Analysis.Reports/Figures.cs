using System.Text.Json.Nodes;
using DeepRacer.Analysis.Charts;

namespace DeepRacer.Analysis.Reports;

/// <summary>Converts chart data (the same that ScottPlot renders to PNG/SVG) into interactive plotly figures, one per panel.</summary>
public static class Figures
{
    /// <summary>One figure per panel of the chart.</summary>
    public static IReadOnlyList<PlotlyFigure> From(ChartData chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return [.. chart.Panels.Select(From)];
    }

    /// <summary>One panel as a figure.</summary>
    public static PlotlyFigure From(ChartPanel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var figure = new PlotlyFigure(panel.Title, panel.XLabel, panel.YLabel);
        if (panel.EqualAxes)
        {
            figure.EqualAxes();
        }

        if (panel.Series.Any(s => s.RightAxis))
        {
            figure.SecondYAxis(panel.RightYLabel ?? "", panel.RightYRange?.Min, panel.RightYRange?.Max);
        }

        if (panel.Heat is { } heat)
        {
            AddHeat(figure, heat);
        }

        foreach (var s in panel.Series)
        {
            AddSeries(figure, s);
        }

        if (panel.YRange is { } y)
        {
            ((JsonObject)figure.Layout["yaxis"]!)["range"] = new JsonArray(y.Min, y.Max);
        }

        if (panel.XTicks is { Count: > 0 } ticks)
        {
            var axis = (JsonObject)figure.Layout["xaxis"]!;
            axis["tickvals"] = new JsonArray([.. ticks.Select(t => (JsonNode?)JsonValue.Create(t.Position))]);
            axis["ticktext"] = new JsonArray([.. ticks.Select(t => (JsonNode?)JsonValue.Create(t.Label))]);
        }

        if (panel.VerticalLines.Count > 0)
        {
            figure.Layout["shapes"] = new JsonArray([.. panel.VerticalLines.Select(x => (JsonNode?)new JsonObject
            {
                ["type"] = "line", ["x0"] = x, ["x1"] = x, ["yref"] = "paper", ["y0"] = 0, ["y1"] = 1,
                ["line"] = new JsonObject { ["color"] = "grey", ["dash"] = "dash", ["width"] = 1 },
            })]);
        }

        return figure;
    }

    private static void AddSeries(PlotlyFigure figure, ChartSeries s)
    {
        var yAxis = s.RightAxis ? "y2" : null;
        JsonObject trace;
        if (s.Style == SeriesStyle.Bars)
        {
            trace = figure.Bar(s.Label, s.X, s.Y, s.Color);
            if (s.BarWidth is { } width)
            {
                trace["width"] = width;
            }
        }
        else if (s.ColorValues is { } values)
        {
            trace = figure.ColoredScatter(s.Label, s.X, s.Y, values, "Plasma");
            // A range from the data is infinite when a log holds an infinite value; JSON has no infinity, plotly then picks its own.
            if (s.ColorRange is { } range && double.IsFinite(range.Min) && double.IsFinite(range.Max))
            {
                var marker = (JsonObject)trace["marker"]!;
                marker["cmin"] = range.Min;
                marker["cmax"] = range.Max;
            }
        }
        else
        {
            var mode = s.Style switch
            {
                SeriesStyle.Line => "lines",
                SeriesStyle.LineWithMarkers => "lines+markers",
                _ => "markers",
            };
            trace = figure.Scatter(s.Label, s.X, s.Y, mode, s.Color, yAxis);
            if (s.Style == SeriesStyle.Dots)
            {
                trace["marker"] = new JsonObject { ["color"] = s.Color, ["size"] = s.MarkerSize + 1, ["opacity"] = s.Opacity };
            }
        }

        if (yAxis is not null)
        {
            trace["yaxis"] = yAxis;
        }
    }

    private static void AddHeat(PlotlyFigure figure, HeatGrid heat)
    {
        var x = new double[heat.Columns];
        var y = new double[heat.Rows];
        for (var c = 0; c < x.Length; c++)
        {
            x[c] = heat.X0 + ((c + 0.5) * heat.CellSize);
        }

        for (var r = 0; r < y.Length; r++)
        {
            y[r] = heat.Y0 + ((r + 0.5) * heat.CellSize);
        }

        var z = new double[heat.Rows][];
        for (var r = 0; r < heat.Rows; r++)
        {
            z[r] = heat.Values.AsSpan(r * heat.Columns, heat.Columns).ToArray();
        }

        figure.Heatmap(heat.Label, x, y, z);
    }
}
