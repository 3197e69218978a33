using DeepRacer.Analysis.Metrics;

namespace DeepRacer.Analysis.Tests.Metrics;

/// <summary>
/// DROA's scoring rules (ModelPerformanceMetricsHelper.ts), each worked out by hand on a list of trials. The submission
/// fixtures (Fixtures/droa-model/.../metrics/submission) hold the first two cases.
/// </summary>
public sealed class RaceResultTests
{
    private static RaceTrial Lap(int trial, long ms, double pct = 100, int off = 0, int crash = 0, int reset = 0) =>
        new(trial, pct, ms, off, crash, reset, pct == 100 ? "Lap complete" : "Off track");

    // Submission 1: a reset in the middle. Trial 3 (40 %, reset) breaks the runs: 1-2 and 4-6 complete.
    private static readonly RaceTrial[] s_resetInTheMiddle =
        [Lap(1, 30000), Lap(2, 29000, off: 1), Lap(3, 12000, pct: 40, off: 1, reset: 1), Lap(4, 28000), Lap(5, 28500, crash: 1), Lap(6, 27000)];

    [Fact]
    public void ResetInTheMiddle_MinimumThree_OnlyTheWindowAfterTheReset()
    {
        var r = RaceResult.Score("s1", "submission", s_resetInTheMiddle, 3);

        // Windows of 3: only trials 4-6 are all complete: (28000 + 28500 + 27000) / 3 = 27833.3, floored.
        Assert.Equal(27833, r.AverageLapMilliseconds);
        Assert.Equal(0, r.AverageLapOffTrack);
        // The best lap is the minimum over all trials, the incomplete trial 3 too, with its off-track count.
        Assert.Equal(12000, r.BestLapMilliseconds);
        Assert.Equal(1, r.BestLapOffTrack);
        Assert.Equal(154500, r.TotalMilliseconds);
        Assert.Equal(3, r.CompletedLaps);
        Assert.Equal((1, 2, 1), (r.Resets, r.OffTrack, r.Collisions));
        Assert.Equal(1.0 / 6, r.AverageResets, 15);
        Assert.True(r.Qualified);
        Assert.Equal([154500L, 27833L, 12000L], new[] { TimingMethod.Total, TimingMethod.Average, TimingMethod.Best }.Select(t => r.Score(t)!.Value));
    }

    [Fact]
    public void ResetInTheMiddle_MinimumTwo_BestOfThreeWindows()
    {
        var r = RaceResult.Score("s1", "submission", s_resetInTheMiddle, 2);

        // Windows 1-2: 29500 (1 off track), 4-5: 28250, 5-6: 27750.
        Assert.Equal(27750, r.AverageLapMilliseconds);
        Assert.Equal(0, r.AverageLapOffTrack);
    }

    [Fact]
    public void FewerLapsThanTheMinimum_NoAverage_NotQualified()
    {
        // Submission 2: one complete lap in a row at most.
        RaceTrial[] trials = [Lap(1, 31000), Lap(2, 9000, pct: 25, off: 2, reset: 2), Lap(3, 30000, off: 1)];

        var three = RaceResult.Score("s2", "submission", trials, 3);
        Assert.Null(three.AverageLapMilliseconds);
        Assert.Null(three.Score(TimingMethod.Average));
        Assert.Equal(1, three.CompletedLaps);
        Assert.False(three.Qualified);
        Assert.Equal((9000L, 2), (three.BestLapMilliseconds!.Value, three.BestLapOffTrack));

        // More laps asked than trials: no window at all.
        Assert.Null(RaceResult.Score("s2", "submission", trials, 4).AverageLapMilliseconds);

        var one = RaceResult.Score("s2", "submission", trials, 1);
        Assert.Equal((30000L, 1), (one.AverageLapMilliseconds!.Value, one.AverageLapOffTrack));
        Assert.True(one.Qualified);
    }

    [Fact]
    public void Ties_TheFirstTrialAndTheFirstWindowWin()
    {
        RaceTrial[] trials = [Lap(1, 28000, off: 2), Lap(2, 28000), Lap(3, 29000, off: 1), Lap(4, 27000, off: 3), Lap(5, 29000)];

        var r = RaceResult.Score("tie", "evaluation", trials, 2);

        // Best lap 27000 (trial 4, 3 off track). Windows: 28000, 28500, 28000, 28000: the first 28000 (trials 1-2, 2 off track) wins.
        Assert.Equal((27000L, 3), (r.BestLapMilliseconds!.Value, r.BestLapOffTrack));
        Assert.Equal((28000L, 2), (r.AverageLapMilliseconds!.Value, r.AverageLapOffTrack));
        var firstOfEqualLaps = RaceResult.Score("tie", "evaluation", trials[..2], 1);
        Assert.Equal((28000L, 2, 2), (firstOfEqualLaps.BestLapMilliseconds!.Value, firstOfEqualLaps.BestLapOffTrack, firstOfEqualLaps.AverageLapOffTrack));
    }

    [Fact]
    public void ToTable_RanksQualifiedResultsWithEqualScoresSharingARank()
    {
        RaceResult[] results =
        [
            RaceResult.Score("a", "submission", [Lap(1, 30000)], 1),
            RaceResult.Score("b", "submission", [Lap(1, 29000)], 1),
            RaceResult.Score("c", "submission", [Lap(1, 30000)], 1),
            RaceResult.Score("d", "submission", [Lap(1, 10000, pct: 50)], 1),
        ];

        var table = RaceResult.ToTable(results, TimingMethod.Best);

        Assert.Equal([2.0, 1, 2, double.NaN], table.Get<double>("rank").ToArray());
        Assert.Equal([30.0, 29, 30, 10], table.Get<double>("score").ToArray());
    }

    [Fact]
    public void ParseTrials_SampleEvaluationMetrics()
    {
        var json = File.ReadAllBytes(TestSupport.Sample("sample-droa-solution-logs/metrics/evaluation/2026-03-07T17:52:00.898Z-deepracerindy-evaluation-9oJ3QbS0SYm7Iag.json"));

        var trials = RaceResult.ParseTrials(json, "sample");

        Assert.Equal([new RaceTrial(1, 100, 30884, 1, 0, 1, "Lap complete"), new RaceTrial(2, 100, 28573, 0, 0, 0, "Lap complete"), new RaceTrial(3, 100, 28312, 0, 0, 0, "Lap complete")], trials);
    }
}
