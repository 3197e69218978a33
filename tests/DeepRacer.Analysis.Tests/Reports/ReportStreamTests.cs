using CsCheck;
using DeepRacer.Analysis.Reports;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tests.Episodes;

namespace DeepRacer.Analysis.Tests.Reports;

/// <summary>
/// <see cref="ModelReport.BuildStreamedAsync"/> (files read as streams, no step table) against <see cref="ModelReport.Build"/>
/// of the loaded steps: the same page, character for character.
/// </summary>
public sealed class ReportStreamTests
{
    [Theory]
    [InlineData("sample-console-logs", null, "named by the logs")]
    [InlineData("sample-drfc-1-logs", null, "identified from track_len")]
    [InlineData("sample-drfc-3-logs", null, "identified from track_len")]
    [InlineData("sample-drfc-3-logs", "reinvent_base", "as given")]
    [InlineData("sample-droa-solution-logs.tar.gz", null, "named by the logs")]
    [InlineData("sample-drfc-1-logs", "Ace Speedway CW", "as given")]
    public async Task StreamedReport_EqualsLoadedReport_OnEverySample(string sample, string? track, string chosen)
    {
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample(sample));
        var info = await log.LoadInfoAsync();
        var streamed = await ModelReport.BuildStreamedAsync(log, info, track);

        // The samples take the streaming path, with the track (and so the heat map and action counts) known.
        Assert.NotNull(streamed);
        var html = streamed.Value.Report.ToHtml();
        Assert.Contains(chosen, html, StringComparison.Ordinal);
        Assert.Contains("Actions per track section", html, StringComparison.Ordinal);
        Assert.Equal(Loaded(log, info, track), html);
    }

    [Fact]
    public async Task Evaluation_IsLeftToTheLoadedTable()
    {
        // Only training reports stream; BuildAsync gives the loaded table's evaluation report.
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample("sample-drfc-3-logs"));
        var html = (await ModelReport.BuildAsync(log, StepTableKind.Evaluation)).ToHtml();
        Assert.Contains("Evaluation laps", html, StringComparison.Ordinal);
    }

    [Fact]
    public void GeneratedModels_StreamedEqualsLoaded()
    {
        // EpisodeStreamTests' models (steps that go backwards, episodes over two files, bad lines, wall clocks, one or three
        // workers), with the track given for some so that the heat map and the action counts are drawn.
        var streamedCount = 0;
        EpisodeStreamTests.Models.Where(m => !m.Evaluation).Select(Gen.Bool).Sample(
            (model, withTrack) =>
            {
                using var dir = new TempDir();
                model.WriteTo(dir.Path);
                using var log = DeepRacerLog.OpenAsync(dir.Path).GetAwaiter().GetResult();
                var info = log.LoadInfoAsync().GetAwaiter().GetResult();
                var track = withTrack ? "reinvent_base" : null;
                var (streamed, streamedError) = Try(() => ModelReport.BuildStreamedAsync(log, info, track).GetAwaiter().GetResult()?.Report.ToHtml());
                if (streamed is not null || streamedError is not null)
                {
                    // The same page, or the same error (a model without a training episode has no progress to show).
                    Assert.Equal(Try(() => Loaded(log, info, track)), (streamed, streamedError));
                    Interlocked.Increment(ref streamedCount);
                }
            },
            iter: 60,
            threads: 1);
        Assert.InRange(streamedCount, 15, 60);
    }

    private static (string? Html, string? Error) Try(Func<string?> build)
    {
        try
        {
            return (build(), null);
        }
        catch (DeepRacerLogException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The page as <c>drlog report</c> built it before streaming: every step loaded, then <see cref="ModelReport.Build"/>.</summary>
    private static string Loaded(DeepRacerLog log, ModelInfo info, string? track)
    {
        var steps = log.LoadAsync(StepTableKind.Training).GetAwaiter().GetResult();
        var (resolved, error) = ModelReport.ResolveTrackAsync(log, track, steps).GetAwaiter().GetResult();
        return ModelReport.Build(log, info, steps, resolved, error).ToHtml();
    }
}
