using DeepRacer.Analysis;
using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;
using SkiaSharp;

namespace DrLog.Tests.Commands;

public sealed class PlotCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("drlog-plot-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData("progress", "sample-drfc-1-logs", 1500, 1140)]
    [InlineData("aggregates", "sample-drfc-3-logs", 1500, 1140)]
    [InlineData("complete-laps", "sample-console-logs", 1500, 1140)]
    [InlineData("quintiles", "sample-drfc-1-logs", 900, 500)]
    [InlineData("start-waypoints", "sample-drfc-1-logs", 1200, 500)]
    [InlineData("reward-per-waypoint", "sample-drfc-1-logs", 1200, 500)]
    [InlineData("laps", "sample-drfc-1-logs", 1200, 800)]
    [InlineData("heatmap", "sample-droa-solution-logs", 1200, 800)]
    public async Task Plot_Png_DrawsEverySeriesInItsPanel(string kind, string sample, int width, int height)
    {
        var path = Path.Combine(_temp, kind + ".png");

        var (exit, stdout, stderr) = await CliRunner.RunAsync("plot", kind, CliRunner.Sample(sample), "-o", path);

        Assert.True(exit == 0, stderr);
        Assert.StartsWith($"Wrote {path}", stdout, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));

        // The same chart as data: every series with a point must show its colour inside its own panel's cell (one-series
        // panels have no legend, so the colour there is the data), and no panel stays empty.
        var chart = await ChartOfAsync(kind, sample);
        var cells = Cells(chart.Panels.Count, width, height, chart.Layout == PanelLayout.Grid);
        for (var i = 0; i < chart.Panels.Count; i++)
        {
            foreach (var series in chart.Panels[i].Series.Where(s => s.ColorValues is null && Enumerable.Range(0, s.X.Count).Any(j => double.IsFinite(s.X[j]) && double.IsFinite(s.Y[j]))))
            {
                var pixels = CountColour(bitmap, cells[i], SKColor.Parse(series.Color));
                Assert.True(pixels >= MinPixels(series, chart.Panels[i].Series.Count), $"{kind} panel {i} '{chart.Panels[i].Title}': series '{series.Label}' ({series.Color}) has {pixels} pixels of its colour");
            }
        }

        if (chart.Panels.Any(p => p.Series.Any(s => s.ColorValues is not null) || p.Heat is not null))
        {
            // Laps coloured by speed and heat maps: a colour scale, so many distinct saturated colours.
            Assert.True(SaturatedColours(bitmap) >= 32, $"{kind}: only {SaturatedColours(bitmap)} saturated colours for a colour scale");
        }
    }

    private static async Task<ChartData> ChartOfAsync(string kind, string sample)
    {
        using var log = await DeepRacerLog.OpenAsync(CliRunner.Sample(sample));
        var steps = await log.LoadAsync(StepTableKind.Training);
        var episodes = EpisodeTable.Aggregate(steps);
        var track = AnalysisCharts.NeedsTrack(kind) ? await log.ResolveTrackAsync(null, steps) : null;
        return AnalysisCharts.Build(kind, new ChartSource(steps, episodes, track));
    }

    // A dot covers a few pixels (overlapping ones fewer, so three per point, capped at 60); with several series a legend
    // swatch (about 30 pixels: a 20-pixel line and its marker) shows each colour too, so the data must add as much again.
    private static int MinPixels(ChartSeries series, int seriesInPanel)
    {
        var points = Enumerable.Range(0, series.X.Count).Count(j => double.IsFinite(series.X[j]) && double.IsFinite(series.Y[j]));
        return seriesInPanel > 1 ? 60 : Math.Min(60, 3 * points);
    }

    /// <summary>The renderer's cells: a near-square grid filled row by row, or panels side by side.</summary>
    private static SKRectI[] Cells(int n, int width, int height, bool grid)
    {
        var columns = grid ? (int)Math.Ceiling(Math.Sqrt(n)) : n;
        var rows = grid ? (n + columns - 1) / columns : 1;
        return [.. Enumerable.Range(0, n).Select(i => new SKRectI(
            width * (i % columns) / columns, height * (i / columns) / rows, width * ((i % columns) + 1) / columns, height * ((i / columns) + 1) / rows))];
    }

    /// <summary>Pixels within a small distance of <paramref name="colour"/> (the renderer anti-aliases edges).</summary>
    private static int CountColour(SKBitmap bitmap, SKRectI cell, SKColor colour)
    {
        var count = 0;
        for (var y = cell.Top; y < cell.Bottom; y++)
        {
            for (var x = cell.Left; x < cell.Right; x++)
            {
                var p = bitmap.GetPixel(x, y);
                if (Math.Abs(p.Red - colour.Red) + Math.Abs(p.Green - colour.Green) + Math.Abs(p.Blue - colour.Blue) <= 24)
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static int SaturatedColours(SKBitmap bitmap)
    {
        var colours = new HashSet<uint>();
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var p = bitmap.GetPixel(x, y);
                if (Math.Max(p.Red, Math.Max(p.Green, p.Blue)) - Math.Min(p.Red, Math.Min(p.Green, p.Blue)) > 60)
                {
                    colours.Add((uint)p & 0xF0F0F0F0);
                }
            }
        }

        return colours.Count;
    }

    [Fact]
    public async Task Plot_EvaluationLaps_Svg()
    {
        var path = Path.Combine(_temp, "eval.svg");

        var (exit, _, stderr) = await CliRunner.RunAsync("plot", "evaluation-laps", CliRunner.Sample("sample-console-logs"), "--evaluation", "-o", path);

        Assert.True(exit == 0, stderr);
        var svg = System.Xml.Linq.XDocument.Load(path);
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        // Two console evaluation runs of three laps each: six nested panels.
        Assert.Equal(6, svg.Root.Elements().Count(e => e.Name.LocalName == "svg"));
    }

    [Fact]
    public async Task Plot_UnknownKind_IsAUsageError()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("plot", "speedometer", CliRunner.Sample("sample-drfc-1-logs"), "-o", Path.Combine(_temp, "x.png"));

        Assert.Equal(2, exit);
        Assert.Contains("speedometer", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_temp));
    }

    [Fact]
    public async Task Plot_WrongExtension_IsAUsageError()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("plot", "laps", CliRunner.Sample("sample-drfc-1-logs"), "-o", Path.Combine(_temp, "x.jpg"));

        Assert.Equal(2, exit);
        Assert.Contains("must end in .png or .svg", stderr, StringComparison.Ordinal);
    }
}
