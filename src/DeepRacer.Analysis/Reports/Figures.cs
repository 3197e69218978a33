using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Reports;

/// <summary>Turns analysis results (data only) into plotly figures; one computation per chart, whatever draws it.</summary>
public static class Figures
{
    private static readonly string[] s_palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>A chart of an analysis as a figure.</summary>
    public static PlotlyFigure From(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var figure = new PlotlyFigure(chart.Title, chart.XLabel, chart.YLabel);
        for (var i = 0; i < chart.Series.Count; i++)
        {
            var s = chart.Series[i];
            var color = s_palette[i % s_palette.Length];
            switch (chart.Kind)
            {
                case ChartKind.Bar or ChartKind.Histogram:
                    var bar = figure.Bar(s.Name, s.X, s.Y, color);
                    if (chart.Kind == ChartKind.Histogram && chart.BinEdges is { Length: > 1 } edges)
                    {
                        bar["width"] = edges[1] - edges[0];
                    }

                    break;
                case ChartKind.Line:
                    figure.Scatter(s.Name, s.X, s.Y, "lines+markers", color);
                    break;
                default:
                    figure.Scatter(s.Name, s.X, s.Y, "markers", color);
                    break;
            }
        }

        return figure;
    }

    /// <summary>An empty track map: road borders and the dashed centre line, metres on both axes.</summary>
    public static PlotlyFigure TrackMap(Track track, string title)
    {
        ArgumentNullException.ThrowIfNull(track);
        var figure = new PlotlyFigure(title, "x (m)", "y (m)").EqualAxes();
        AddLine(figure, "outer border", track.OuterBorder, "#555555", dash: false);
        AddLine(figure, "inner border", track.InnerBorder, "#555555", dash: false);
        AddLine(figure, "centre line", track.CenterLine, "#bbbbbb", dash: true);
        return figure;
    }

    /// <summary>Laps on the track, points coloured by the analysis' value column.</summary>
    public static PlotlyFigure Laps(TrackLaps laps, string title)
    {
        ArgumentNullException.ThrowIfNull(laps);
        var figure = TrackMap(laps.Track, title);
        foreach (var lap in laps.Laps)
        {
            var trace = figure.ColoredScatter(lap.Label, lap.X, lap.Y, lap.Value, "Plasma", laps.ValueColumn);
            var marker = (System.Text.Json.Nodes.JsonObject)trace["marker"]!;
            marker["cmin"] = laps.ValueMin;
            marker["cmax"] = laps.ValueMax;
            // One colour bar is enough for laps that share a scale.
            marker["showscale"] = ReferenceEquals(lap, laps.Laps[0]);
        }

        return figure;
    }

    /// <summary>A heat map of a column over the track.</summary>
    public static PlotlyFigure Heat(Heatmap heatmap, Track track, string title)
    {
        ArgumentNullException.ThrowIfNull(heatmap);
        var figure = TrackMap(track, title);
        var x = new double[heatmap.Columns];
        var y = new double[heatmap.Rows];
        for (var c = 0; c < x.Length; c++)
        {
            x[c] = heatmap.OriginX + ((c + 0.5) * heatmap.CellSize);
        }

        for (var r = 0; r < y.Length; r++)
        {
            y[r] = heatmap.OriginY + ((r + 0.5) * heatmap.CellSize);
        }

        var z = new double[heatmap.Rows][];
        for (var r = 0; r < heatmap.Rows; r++)
        {
            z[r] = new double[heatmap.Columns];
            for (var c = 0; c < heatmap.Columns; c++)
            {
                z[r][c] = heatmap[r, c];
            }
        }

        figure.Heatmap(heatmap.Column, x, y, z);
        return figure;
    }

    private static void AddLine(PlotlyFigure figure, string name, ReadOnlySpan<TrackPoint> points, string color, bool dash)
    {
        var x = new double[points.Length];
        var y = new double[points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            x[i] = points[i].X;
            y[i] = points[i].Y;
        }

        var trace = figure.Scatter(name, x, y, "lines", color);
        var line = (System.Text.Json.Nodes.JsonObject)trace["line"]!;
        line["width"] = dash ? 1 : 2;
        if (dash)
        {
            line["dash"] = "dash";
        }

        trace["hoverinfo"] = "skip";
        trace["showlegend"] = false;
    }
}
