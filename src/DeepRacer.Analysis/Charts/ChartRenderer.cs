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

    private static PixelRect[] Cells(ChartData chart)
    {
        var n = Math.Max(chart.Panels.Count, 1);
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

        foreach (var s in panel.Series)
        {
            var color = Color.FromHex(s.Color).WithAlpha(s.Opacity);
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
        if (panel.Series.Count > 1 && panel.Series.Any(s => s.X.Count > 0))
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
