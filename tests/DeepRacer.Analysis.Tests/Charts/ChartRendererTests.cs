using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Metrics;
using SkiaSharp;

namespace DeepRacer.Analysis.Tests.Charts;

/// <summary>Every chart renders from a sample to an image of the promised size that is not blank.</summary>
public sealed class ChartRendererTests
{
    private static readonly Lazy<Task<(TrainingMetrics Metrics, IReadOnlyList<PolicyRound> Policy)>> s_console = new(async () =>
    {
        var metrics = await TrainingMetrics.LoadAsync(TestSupport.Sample("sample-console-logs"));
        var policy = await TrainerLog.LoadAsync(TestSupport.Sample("sample-console-logs"));
        return (metrics, [new PolicyRound(1, policy!, 0)]);
    });

    public static TheoryData<string> ChartNames => ["progress", "completion", "completed-laps", "lap-time", "best-lap-progression", "completion-per-episode", "reward-per-episode", "policy"];

    [Theory]
    [MemberData(nameof(ChartNames))]
    public async Task RenderPng_ConsoleSample_RightSizeAndNotBlank(string name)
    {
        var chart = await ChartAsync(name);

        Assert.False(chart.IsEmpty);
        using var bitmap = SKBitmap.Decode(ChartRenderer.RenderPng(chart));
        Assert.Equal((chart.Width, chart.Height), (bitmap.Width, bitmap.Height));

        // A blank image is one colour; a chart has axes, text and coloured series.
        var colours = new HashSet<uint>();
        var coloured = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var p = bitmap.GetPixel(x, y);
                colours.Add((uint)p);
                if (Math.Abs(p.Red - p.Green) > 40 || Math.Abs(p.Green - p.Blue) > 40)
                {
                    coloured++;
                }
            }
        }

        Assert.True(colours.Count > 20, $"{name}: only {colours.Count} colours");
        Assert.True(coloured > 100, $"{name}: only {coloured} coloured pixels (series missing?)");
    }

    [Theory]
    [MemberData(nameof(ChartNames))]
    public async Task RenderSvg_ConsoleSample_IsSvgWithTheTitle(string name)
    {
        var chart = await ChartAsync(name);

        var svg = ChartRenderer.RenderSvg(chart);

        var body = svg.StartsWith("<?xml", StringComparison.Ordinal) ? svg[(svg.IndexOf("?>", StringComparison.Ordinal) + 2)..].TrimStart() : svg;
        Assert.StartsWith("<svg", body, StringComparison.Ordinal);
        Assert.EndsWith("</svg>", svg.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains(chart.Panels[0].Title, svg, StringComparison.Ordinal);

        // Well-formed XML, with one (nested) svg element per panel.
        _ = System.Xml.Linq.XDocument.Parse(svg);
        Assert.Equal(chart.Panels.Count + (chart.Panels.Count > 1 ? 1 : 0), CountOf(svg, "<svg"));
    }

    [Fact]
    public async Task Save_WritesPngAndSvgWithoutTemporaryFiles()
    {
        using var temp = new TempDir();
        var chart = await ChartAsync("progress");

        var written = ChartRenderer.Save(chart, temp.Path);

        Assert.Equal([Path.Combine(temp.Path, "progress.png"), Path.Combine(temp.Path, "progress.svg")], written);
        Assert.Equal(["progress.png", "progress.svg"], Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Progress_Console_SeriesAreThePerIterationMeans()
    {
        var (metrics, _) = await s_console.Value;
        var panel = MetricsCharts.Progress(metrics).Panels[0];

        // Iteration 0: mean reward 14.8, training completion 9.45, evaluation completion 3.4 (python3 on the JSON);
        // iteration 28 has no evaluation, so the evaluation series has 28 points.
        Assert.Equal(14.8, panel.Series[0].Y[0], 10);
        Assert.Equal(9.45, panel.Series[1].Y[0], 10);
        Assert.True(panel.Series[1].RightAxis);
        Assert.Equal(3.4, panel.Series[2].Y[0], 10);
        Assert.Equal(29, panel.Series[0].X.Count);
        Assert.Equal(28, panel.Series[2].X.Count);
    }

    [Fact]
    public void Rolling_SkipsNaNAndNeedsOneValue()
    {
        var rolled = MetricsCharts.Rolling([1, double.NaN, 3, 5, double.NaN, double.NaN, double.NaN], 3);

        Assert.Equal([1, 1, 2, 4, 4, 5], rolled.Take(6));
        Assert.True(double.IsNaN(rolled[6]));
    }

    [Fact]
    public async Task PlotProgress_TwoRounds_MarksTheSecondRound()
    {
        var folder = TestSupport.Sample("sample-drfc-1-logs");
        var metrics = await TrainingMetrics.LoadAsync([folder, folder]);

        var chart = MetricsCharts.PlotProgress(metrics, [SummaryMethod.Mean, SummaryMethod.Max]);

        Assert.Equal(2, chart.Panels.Count);
        Assert.Equal([28.0], chart.Panels[0].VerticalLines);

        // 56 rows over 2 panels: a label every floor(56 / 7.5) = 7 rows, starting with 01-000.
        Assert.Equal((0.0, "01-000"), chart.Panels[0].XTicks![0]);
        Assert.Equal((7.0, "01-007"), chart.Panels[0].XTicks![1]);
    }

    private static int CountOf(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    private static async Task<ChartData> ChartAsync(string name)
    {
        var (metrics, policy) = await s_console.Value;
        return MetricsCharts.All(metrics, policy: policy).Single(c => c.Name == name);
    }
}
