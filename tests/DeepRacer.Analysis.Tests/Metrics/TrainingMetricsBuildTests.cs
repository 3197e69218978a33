using DeepRacer.Analysis.Metrics;

namespace DeepRacer.Analysis.Tests.Metrics;

/// <summary>
/// <see cref="TrainingMetrics.Build"/> on hand-made worker files: iteration numbering and padding, the worker-0 rule,
/// empty files, and the guards of the loaders. iteration = (episode − 1) // (worker 0's highest trial).
/// </summary>
public sealed class TrainingMetricsBuildTests
{
    private static TrainingMetricsFile File(string name, params (int Episode, int Trial)[] episodes) =>
        new(name, [.. episodes.Select(e => new MetricsEpisode(e.Episode, e.Trial, MetricsPhase.Training, 1, 100, 9000, 1000, "Lap complete"))]);

    private static IReadOnlyList<WorkerMetrics> Round(params WorkerMetrics[] workers) => workers;

    [Fact]
    public void IterationPadding_ThreeDigitsUpTo999_FourFrom1000()
    {
        // Three trials per iteration: episode 3000 is in iteration 999, episode 3001 in iteration 1000.
        var to999 = TrainingMetrics.Build([Round(new WorkerMetrics(0, File("a", (1, 1), (3000, 3))))]);
        var to1000 = TrainingMetrics.Build([Round(new WorkerMetrics(0, File("a", (1, 1), (3001, 3))))]);

        Assert.Equal(["01-000", "01-999"], to999.Rows.Select(r => r.RoundIteration));
        Assert.Equal(["01-0000", "01-1000"], to1000.Rows.Select(r => r.RoundIteration));
        Assert.Equal(1000, to1000.LatestMasterIteration);
    }

    [Fact]
    public void WorkerFileInARoundWithoutWorker0_Throws_EvenAfterARoundThatHadOne()
    {
        var e = Assert.Throws<DeepRacerLogException>(() => TrainingMetrics.Build(
            [Round(new WorkerMetrics(0, File("w0", (1, 1), (2, 2)))), Round(new WorkerMetrics(1, File("w1", (1, 1), (2, 2))))]));

        Assert.Contains("w1 is worker 1's file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyWorker0File_GivesNoEpisodesPerIteration_SoWorker1CannotBeNumbered()
    {
        var alone = TrainingMetrics.Build([Round(new WorkerMetrics(0, File("w0")))]);
        Assert.Empty(alone.Rows);
        Assert.Equal(["w0"], alone.Sources);

        var e = Assert.Throws<DeepRacerLogException>(() => TrainingMetrics.Build(
            [Round(new WorkerMetrics(0, File("w0")), new WorkerMetrics(1, File("w1", (1, 1))))]));
        Assert.Contains("w1 is worker 1's file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_LatestMasterIterationIsMinusOne()
    {
        var metrics = TrainingMetrics.Build([]);

        Assert.Equal(-1, metrics.LatestMasterIteration);
        Assert.Empty(metrics.Workers);
        Assert.Null(metrics.FirstMasterIteration(1));
    }

    [Fact]
    public void FirstMasterIteration_IsTheRoundsOffset_WhenItsFirstIterationIsNot0()
    {
        // Round 1: iteration 0 (master 0). Round 2 starts at episode 4, iteration 1: master 1 + 1 = 2, offset 1.
        var metrics = TrainingMetrics.Build([Round(new WorkerMetrics(0, File("r1", (1, 1), (2, 2), (3, 3)))), Round(new WorkerMetrics(0, File("r2", (4, 1), (5, 2), (6, 3))))]);

        Assert.Equal([0, 2, 2, 2], metrics.Rows.Skip(2).Select(r => r.MasterIteration));
        Assert.Equal([0, 1], [metrics.FirstMasterIteration(1), metrics.FirstMasterIteration(2)]);
    }

    [Fact]
    public void Workers_Ascending()
    {
        var metrics = TrainingMetrics.Build([Round(new WorkerMetrics(0, File("w0", (1, 1), (2, 2))), new WorkerMetrics(2, File("w2", (1, 1))), new WorkerMetrics(1, File("w1", (1, 1))))]);

        Assert.Equal([0, 1, 2], metrics.Workers);
    }

    [Fact]
    public async Task Guards_NullAndNoLocation()
    {
        Assert.Equal("rounds", Assert.Throws<ArgumentNullException>(() => TrainingMetrics.Build(null!)).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentNullException>(() => TrainingMetrics.SummaryTable(null!)).ParamName);
        Assert.Equal("locations", (await Assert.ThrowsAsync<ArgumentNullException>(() => TrainingMetrics.LoadAsync((IReadOnlyList<string>)null!))).ParamName);
        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => TrainingMetrics.LoadAsync(Array.Empty<string>()));
        Assert.StartsWith("No metrics source given", e.Message, StringComparison.Ordinal);
    }
}
