using System.Text;
using ScottPlot;
using SkiaSharp;

namespace DeepRacer.Analysis.Charts;

/// <summary>Draws <see cref="ChartData"/> with ScottPlot as PNG or SVG, and saves charts atomically.</summary>
public static class ChartRenderer
{
    /// <summary>Renders a chart as PNG bytes.</summary>
    public static byte[] RenderPng(ChartData chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var plots = chart.Panels.Select(BuildPlot).ToArray();
        var cells = Cells(chart);
        using var surface = SKSurface.Create(new SKImageInfo(chart.Width, chart.Height)) ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface.");
        surface.Canvas.Clear(SKColors.White);
        for (var i = 0; i < plots.Length; i++)
        {
            // A plot rendered straight onto a shared canvas clears all of it; render each panel alone and paste it.
            var c = cells[i];
            using var panel = SKBitmap.Decode(plots[i].GetImageBytes((int)c.Width, (int)c.Height, ImageFormat.Png));
            surface.Canvas.DrawBitmap(panel, c.Left, c.Top);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Renders a chart as an SVG document (panels are nested <c>svg</c> elements).</summary>
    public static string RenderSvg(ChartData chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var plots = chart.Panels.Select(BuildPlot).ToArray();
        var cells = Cells(chart);
        if (plots.Length == 1)
        {
            return plots[0].GetSvgXml(chart.Width, chart.Height);
        }

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{chart.Width}\" height=\"{chart.Height}\" viewBox=\"0 0 {chart.Width} {chart.Height}\">");
        for (var i = 0; i < plots.Length; i++)
        {
            var c = cells[i];
            var inner = plots[i].GetSvgXml((int)c.Width, (int)c.Height);

            // Each panel is a complete SVG document; placed as a nested svg element it keeps its own coordinates.
            inner = inner.Replace("<svg ", string.Create(CultureInfo.InvariantCulture, $"<svg x=\"{c.Left}\" y=\"{c.Top}\" "), StringComparison.Ordinal);
            var start = inner.IndexOf("<svg", StringComparison.Ordinal);
            svg.Append(inner.AsSpan(start));
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>
    /// Writes <c>{Name}.png</c> and/or <c>{Name}.svg</c> into <paramref name="directory"/>, each through a temporary file
    /// and a rename, so a reader (a browser refreshing during <c>--watch</c>) never sees half a file.
    /// </summary>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> Save(ChartData chart, string directory, bool png = true, bool svg = true)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        if (png)
        {
            written.Add(WriteAtomically(Path.Combine(directory, chart.Name + ".png"), RenderPng(chart)));
        }

        if (svg)
        {
            written.Add(WriteAtomically(Path.Combine(directory, chart.Name + ".svg"), Encoding.UTF8.GetBytes(RenderSvg(chart))));
        }

        return written;
    }

    private static string WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        return path;
    }

    private static void AddHeat(Plot plot, HeatGrid heat)
    {
        // ScottPlot's heat map row 0 is the top row.
        var values = new double[heat.Rows, heat.Columns];
        for (var r = 0; r < heat.Rows; r++)
        {
            for (var c = 0; c < heat.Columns; c++)
            {
                values[heat.Rows - 1 - r, c] = heat.Values[(r * heat.Columns) + c];
            }
        }

        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Inferno();
        map.Extent = new CoordinateRect(heat.X0, heat.X0 + (heat.Columns * heat.CellSize), heat.Y0, heat.Y0 + (heat.Rows * heat.CellSize));
        map.NaNCellColor = Colors.Transparent;
        plot.Add.ColorBar(map).Label = heat.Label;
    }

    private static void AddColoredDots(Plot plot, ChartSeries s, IReadOnlyList<double> values)
    {
        const int Levels = 16;
        var finite = values.Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        var (min, max) = s.ColorRange ?? (finite.Min(), finite.Max());
        var span = max > min ? max - min : 1;
        var colormap = new ScottPlot.Colormaps.Plasma();

        // Points are binned into 16 colour levels, one marker plottable each: exact per-point colour is not readable anyway.
        var xs = Enumerable.Range(0, Levels).Select(_ => new List<double>()).ToArray();
        var ys = Enumerable.Range(0, Levels).Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < values.Count; i++)
        {
            var v = double.IsFinite(values[i]) ? values[i] : min;
            var level = (int)Math.Clamp(Math.Floor((v - min) / span * Levels), 0, Levels - 1);
            xs[level].Add(s.X[i]);
            ys[level].Add(s.Y[i]);
        }

        for (var level = 0; level < Levels; level++)
        {
            if (xs[level].Count == 0)
            {
                continue;
            }

            var markers = plot.Add.Markers(xs[level].ToArray(), ys[level].ToArray(), MarkerShape.FilledCircle, s.MarkerSize, colormap.GetColor(level / (double)(Levels - 1)));
            markers.LegendText = level == 0 ? string.Create(CultureInfo.InvariantCulture, $"{s.Label} ({min:0.##}..{max:0.##}, dark to bright)") : "";
        }
    }

    private static PixelRect[] Cells(ChartData chart)
    {
        var n = Math.Max(chart.Panels.Count, 1);
        if (chart.Layout == PanelLayout.Grid)
        {
            var columns = (int)Math.Ceiling(Math.Sqrt(n));
            var rows = (n + columns - 1) / columns;
            return [.. Enumerable.Range(0, n).Select(i => new PixelRect(
                chart.Width * (i % columns) / (float)columns,
                chart.Width * ((i % columns) + 1) / (float)columns,
                chart.Height * ((i / columns) + 1) / (float)rows,
                chart.Height * (i / columns) / (float)rows))];
        }

        return [.. Enumerable.Range(0, n).Select(i => chart.Layout == PanelLayout.Columns
            ? new PixelRect(chart.Width * i / (float)n, chart.Width * (i + 1) / (float)n, chart.Height, 0)
            : new PixelRect(0, chart.Width, chart.Height * (i + 1) / (float)n, chart.Height * i / (float)n))];
    }

    private static Plot BuildPlot(ChartPanel panel)
    {
        var plot = new Plot();
        plot.Title(panel.Title);
        plot.XLabel(panel.XLabel);
        plot.YLabel(panel.YLabel);
        var hasRight = panel.Series.Any(s => s.RightAxis);
        if (hasRight)
        {
            plot.Axes.Right.Label.Text = panel.RightYLabel ?? "";
        }

        if (panel.Heat is { } heat)
        {
            AddHeat(plot, heat);
        }

        foreach (var s in panel.Series)
        {
            var color = Color.FromHex(s.Color).WithAlpha(s.Opacity);
            if (s.Style == SeriesStyle.Bars)
            {
                var bars = plot.Add.Bars(s.X.ToArray(), s.Y.ToArray());
                bars.Color = color;
                bars.LegendText = s.Label;
                foreach (var bar in bars.Bars)
                {
                    bar.Size = s.BarWidth ?? 0.8;
                    bar.LineWidth = 0;
                }

                continue;
            }

            if (s.ColorValues is { } values)
            {
                AddColoredDots(plot, s, values);
                continue;
            }

            var scatter = plot.Add.Scatter(s.X.ToArray(), s.Y.ToArray(), color);
            scatter.LegendText = s.Label;
            switch (s.Style)
            {
                case SeriesStyle.Dots:
                    scatter.LineWidth = 0;
                    scatter.MarkerSize = s.MarkerSize;
                    break;
                case SeriesStyle.Line:
                    scatter.LineWidth = 2;
                    scatter.MarkerSize = 0;
                    break;
                default:
                    scatter.LineWidth = 1.5f;
                    scatter.MarkerSize = s.MarkerSize;
                    break;
            }

            if (s.RightAxis)
            {
                scatter.Axes.YAxis = plot.Axes.Right;
            }
        }

        foreach (var x in panel.VerticalLines)
        {
            var line = plot.Add.VerticalLine(x, 1, Colors.Gray);
            line.LinePattern = LinePattern.Dashed;
        }

        if (panel.XTicks is { Count: > 0 } ticks)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks.Select(t => t.Position)], [.. ticks.Select(t => t.Label)]);
        }

        plot.Axes.AutoScale();
        if (panel.EqualAxes)
        {
            plot.Axes.SquareUnits();
        }

        if (panel.YRange is { } y)
        {
            plot.Axes.SetLimitsY(y.Min, y.Max, plot.Axes.Left);
        }

        if (panel.RightYRange is { } r && hasRight)
        {
            plot.Axes.SetLimitsY(r.Min, r.Max, plot.Axes.Right);
        }

        // Stacked panels line up only when their left axes are equally wide.
        plot.Axes.Left.MinimumSize = 70;
        if (panel.EqualAxes)
        {
            // A track map: the borders need no legend entry, and a legend inside would hide part of the track.
            foreach (var p in plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Where(p => p.MarkerSize == 0))
            {
                p.LegendText = "";
            }

            if (panel.Series.Count(s => s.Style != SeriesStyle.Line) > 1)
            {
                plot.ShowLegend(Edge.Right);
            }
            else
            {
                plot.HideLegend();
            }
        }
        else if (panel.Series.Count > 1 && panel.Series.Any(s => s.X.Count > 0))
        {
            plot.ShowLegend(Alignment.UpperLeft);
        }
        else
        {
            // One series: the title says what it is.
            plot.HideLegend();
        }

        return plot;
    }
}
