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
    public async Task Plot_Png_HasTheSizeAndIsNotBlank(string kind, string sample, int width, int height)
    {
        var path = Path.Combine(_temp, kind + ".png");

        var (exit, stdout, stderr) = await CliRunner.RunAsync("plot", kind, CliRunner.Sample(sample), "-o", path);

        Assert.True(exit == 0, stderr);
        Assert.StartsWith($"Wrote {path}", stdout, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        var colors = new HashSet<uint>();
        var nonWhite = 0;
        for (var y = 0; y < bitmap.Height; y += 3)
        {
            for (var x = 0; x < bitmap.Width; x += 3)
            {
                var c = bitmap.GetPixel(x, y);
                colors.Add((uint)c);
                if (c != SKColors.White)
                {
                    nonWhite++;
                }
            }
        }

        Assert.True(colors.Count > 20, $"{colors.Count} colours");
        Assert.True(nonWhite > 500, $"{nonWhite} drawn pixels");
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
