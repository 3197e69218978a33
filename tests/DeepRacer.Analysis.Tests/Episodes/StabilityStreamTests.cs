using CsCheck;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Episodes;

/// <summary>
/// <see cref="DeepRacerLog.LoadStabilityAsync"/> (timed while parsing, no step table) against
/// <see cref="StabilityAnalysis.Analyze"/> of the loaded steps: every group figure and every total bit for bit.
/// </summary>
public sealed class StabilityStreamTests
{
    public static TheoryData<string, StepTableKind, TraceKind> SampleCases() => EpisodeStreamTests.SampleCases();

    [Theory]
    [MemberData(nameof(SampleCases))]
    public async Task StreamedStability_EqualsAnalyzedSteps_OnEverySample(string sample, StepTableKind kind, TraceKind trace)
    {
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample(sample));
        var (expected, expectedError) = await Try(async () => StabilityAnalysis.Analyze(await log.LoadAsync(kind, trace)));
        var (streamed, streamedError) = await Try(() => log.LoadStabilityAsync(kind, trace));
        Assert.Equal(expectedError, streamedError);
        if (expected is not null)
        {
            AssertSame(expected, streamed!);
        }
    }

    [Theory]
    [InlineData("sample-console-logs", StepTableKind.Training, 28, false)]
    [InlineData("sample-drfc-1-logs", StepTableKind.Training, 27, false)]
    [InlineData("sample-drfc-3-logs", StepTableKind.Training, 69, false)]
    [InlineData("sample-drfc-3-logs", StepTableKind.Evaluation, 3, false)]
    [InlineData("sample-droa-solution-logs.tar.gz", StepTableKind.Training, 2, true)]
    [InlineData("sample-droa-solution-logs", StepTableKind.Evaluation, 1, true)]
    public async Task Simtrace_IsTimedWhileParsing_NotLoadedAsSteps(string sample, StepTableKind kind, int groups, bool wallClock)
    {
        // The comparison above would pass if every load fell back to a step table; the samples must take the streaming path.
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample(sample));
        var streamed = await Streamed(log, kind);
        Assert.NotNull(streamed);
        Assert.Equal(groups, streamed.Groups.RowCount);
        // One group per file (one worker and iteration each); only DROA's simtrace logs a wall clock.
        Assert.Equal(wallClock, streamed.Overall.Rtf is not null);
        Assert.Equal(wallClock && kind == StepTableKind.Training, streamed.Groups.Columns.Any(c => c.Name == "train_time_s"));
        AssertSame(StabilityAnalysis.Analyze(await log.LoadAsync(kind, TraceKind.Simtrace)), streamed);
    }

    [Fact]
    public void GeneratedSteps_StreamedEqualsAnalyzed()
    {
        // EpisodeStreamTests' models: prepare rows or not, steps that go backwards, episodes that continue into the next
        // file, bad and empty files, wall clocks present, missing or absent, one or three workers, training and evaluation.
        var streamedCount = 0;
        EpisodeStreamTests.Models.Sample(
            model =>
            {
                using var dir = new TempDir();
                model.WriteTo(dir.Path);
                using var log = DeepRacerLog.OpenAsync(dir.Path).GetAwaiter().GetResult();
                var kind = model.Evaluation ? StepTableKind.Evaluation : StepTableKind.Training;
                var expected = StabilityAnalysis.Analyze(log.LoadAsync(kind).GetAwaiter().GetResult());
                AssertSame(expected, log.LoadStabilityAsync(kind).GetAwaiter().GetResult());
                if (Streamed(log, kind).GetAwaiter().GetResult() is not null)
                {
                    Interlocked.Increment(ref streamedCount);
                }
            },
            iter: 120,
            threads: 1);

        // Most generated models must take the streaming path, or the property says little about it.
        Assert.InRange(streamedCount, 40, 120);
    }

    [Fact]
    public void Groups_OfSeveralFiles_JoinTheirIntervals_InTableOrder()
    {
        // Two files of one (worker, iteration) group that continue an episode: the interval across them counts, and the
        // wall-clock points of both are ordered together (DRfC writes one file per group; a copied folder need not).
        var stability = new StabilityAccumulator(StepTableKind.Training, [("", 0, 1), ("", 0, 1), ("", 1, 1)]);
        Feed(stability.Open(0), (4, 1.0, 100.0), (4, 1.5, 100.6));
        Feed(stability.Open(1), (4, 2.25, 101.5), (5, 3.0, double.NaN), (5, 3.0625, 102.0));
        Feed(stability.Open(2), (9, 7.0, 99.0), (9, 7.125, 99.25));
        var report = stability.Finish(LoadReport.Empty);
        Assert.Equal([0, 1], report.Groups.Get<int>("worker").ToArray());

        // Worker 0: intervals 0.5, 0.75 (across the files), 0.0625; worker 1: 0.125.
        Assert.Equal([3, 1], report.Groups.Get<int>("count").ToArray());
        Assert.Equal((0.5 + 0.75 + 0.0625) / 3 * 1000, report.Groups.Get<double>("avg_ms")[0], 9);
        Assert.Equal(750, report.Groups.Get<double>("max_ms")[0], 9);

        // rtf: simulated 1.0 + 0.75 + 0.8125 over wall 0.6 + 0.9 + 0.5 (the NaN point left out); train time: 102.0 - 100.0.
        Assert.Equal((0.5 + 0.75 + 0.8125) / (0.6 + 0.9 + 0.5), report.Groups.Get<double>("rtf")[0], 12);
        Assert.Equal(2.0, report.Groups.Get<double>("train_time_s")[0], 12);
    }

    private static void Feed(IChunkConsumer consumer, params (int Episode, double Tstamp, double Wall)[] rows)
    {
        using var chunk = new StepChunk(16);
        foreach (var (episode, tstamp, wall) in rows)
        {
            chunk.EnsureRow();
            var r = chunk.Count;
            chunk.Episode[r] = episode;
            chunk.Tstamp[r] = tstamp;
            chunk.WallClock[r] = wall;
            chunk.Status[r] = EpisodeStatus.InProgress;
            chunk.Commit();
        }

        consumer.Consume(chunk);
        consumer.Close();
    }

    /// <summary>The streamed report, or null when the load would fall back to a step table.</summary>
    private static async Task<StabilityReport?> Streamed(DeepRacerLog log, StepTableKind kind)
    {
        var traces = kind == StepTableKind.Training ? log.Layout.TrainingTraces : log.Layout.EvaluationTraces;
        StabilityAccumulator? stability = null;
        var consumers = new StepConsumers(true, (files, _) =>
        {
            stability = new StabilityAccumulator(kind, [.. files.Select(f => (f.Stream, f.Worker, f.Iteration))]);
            return stability.Open;
        });
        var episodes = await TraceLoader.AggregateSimtraceAsync(log.Source, traces, kind, null, CancellationToken.None, consumers);
        return episodes is null ? null : stability!.Finish(episodes.Report);
    }

    private static async Task<(T? Value, string? Error)> Try<T>(Func<Task<T>> load) where T : class
    {
        try
        {
            return (await load(), null);
        }
        catch (DeepRacerLogException e)
        {
            return (null, e.Message);
        }
    }

    private static void AssertSame(StabilityReport expected, StabilityReport actual)
    {
        Assert.Equal(expected.Groups.Columns.Select(c => c.Name), actual.Groups.Columns.Select(c => c.Name));
        Assert.Equal(expected.Groups.RowCount, actual.Groups.RowCount);
        foreach (var column in expected.Groups.Columns)
        {
            var other = actual.Groups[column.Name];
            for (var row = 0; row < expected.Groups.RowCount; row++)
            {
                if (column is Column<double> d)
                {
                    Same(d[row], ((Column<double>)other)[row], $"{column.Name}[{row}]");
                }
                else
                {
                    Assert.True(column.Format(row) == other.Format(row), $"{column.Name}[{row}]: {column.Format(row)} != {other.Format(row)}");
                }
            }
        }

        var (e, a) = (expected.Overall, actual.Overall);
        Assert.Equal(e.Count, a.Count);
        Same(e.AvgMs, a.AvgMs, "avg_ms");
        Same(e.StdMs, a.StdMs, "std_ms");
        Same(e.MaxMs, a.MaxMs, "max_ms");
        Same(e.P95Ms, a.P95Ms, "p95_ms");
        Same(e.Rtf ?? -1, a.Rtf ?? -1, "rtf");
        Same(e.TrainTimeS ?? -1, a.TrainTimeS ?? -1, "train_time_s");
        Same(e.PolicyTimeS ?? -1, a.PolicyTimeS ?? -1, "policy_time_s");
        Same(e.Ratio ?? -1, a.Ratio ?? -1, "ratio");
        Assert.NotNull(actual.Report);
    }

    private static void Same(double a, double b, string what) =>
        Assert.True(BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b), $"{what}: {a:R} != {b:R}");
}
