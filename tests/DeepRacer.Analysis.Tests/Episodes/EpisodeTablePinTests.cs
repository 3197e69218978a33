using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Episodes;

/// <summary>
/// Pins what the samples cannot (none has a crash): a hand-made evaluation with a crashed and a completed lap, whose
/// every column was worked out on paper from the spec's formulas (time and distance are row differences zeroed on
/// <c>prepare</c>, step-time statistics use the same differences, std is the sample standard deviation).
/// </summary>
public sealed class EpisodeTablePinTests
{
    // Episode 0: a prepare row, then 0.1 s, 0.2 s, 0.1 s steps; moves 5 m, 0 m, 5 m; crashes at 12 %.
    // Episode 1: a prepare row, then 0.2 s and 0.1 s steps; moves 1 m and 2 m; completes the lap.
    private const string Csv = """
        episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration
        0,1.0,0,0,0,0,1.0,0,0.0,False,True,1.0,7,17.7,10.0,prepare,0.0
        0,2.0,3,4,0,0,2.0,0,1.0,False,True,5.0,8,17.7,10.1,in_progress,0.0
        0,3.0,3,4,0,0,3.0,0,1.0,False,True,10.0,9,17.7,10.3,in_progress,0.0
        0,4.0,6,8,0,0,2.0,0,1.0,True,True,12.0,10,17.7,10.4,crashed,0.0
        1,1.0,0,0,0,0,2.0,0,0.0,False,True,0.5,3,17.7,20.0,prepare,0.0
        1,2.0,0,1,0,0,1.0,0,1.0,False,True,50.0,4,17.7,20.2,in_progress,0.0
        1,3.0,0,3,0,0,3.0,0,1.0,True,True,100.0,5,17.7,20.3,lap_complete,0.0

        """;

    private static async Task<EpisodeTable> EvaluationAsync()
    {
        using var dir = new TempDir();
        var file = dir.Write("0-iteration.csv", Csv);
        using var log = await DeepRacerLog.OpenAsync(file);
        return EpisodeTable.Aggregate(await log.LoadEvaluationTraceAsync());
    }

    [Fact]
    public async Task Evaluation_ColumnsInTheReferenceOrder()
    {
        var t = await EvaluationAsync();

        Assert.True(t.IsEvaluation);
        Assert.Equal(
            ["stream", "episode", "steps", "start_at", "progress", "time", "dist", "speed", "crashed", "off_track", "time_if_complete", "complete", "step_time_mean", "step_time_max", "step_time_std"],
            t.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task Evaluation_CrashedLap_EveryColumnByHand()
    {
        var t = await EvaluationAsync();

        Assert.Equal(2, t.RowCount);
        Assert.Equal("0-iteration", t.Get<string>("stream")[0]);
        Assert.Equal([0, 1], t.Episode.ToArray());
        Assert.Equal([4, 3], t.Steps.ToArray());
        Assert.Equal([7, 3], t.Get<int>("start_at").ToArray());
        Assert.Equal([12.0, 100.0], t.Progress.ToArray());
        Assert.Equal(0.4, t.Time[0], 1e-9);
        Assert.Equal(0.3, t.Time[1], 1e-9);
        Assert.Equal([10.0, 3.0], t.Dist.ToArray());
        Assert.Equal([2.0, 2.0], t.Get<double>("speed").ToArray()); // (1+2+3+2)/4, (2+1+3)/3
        Assert.Equal([1, 0], t.Get<int>("crashed").ToArray());
        Assert.Equal([0, 0], t.Get<int>("off_track").ToArray());
        Assert.Equal(0.4 * 100 / 12, t.Get<double>("time_if_complete")[0], 1e-9);
        Assert.Equal(0.3, t.Get<double>("time_if_complete")[1], 1e-9);
        Assert.Equal([0, 1], t.Complete.ToArray());
    }

    [Fact]
    public async Task Evaluation_StepTimeStatistics_SampleStandardDeviation()
    {
        var t = await EvaluationAsync();

        // Episode 0: differences 0, 0.1, 0.2, 0.1: mean 0.1, max 0.2, std sqrt(0.02 / 3).
        // Episode 1: differences 0, 0.2, 0.1: mean 0.1, max 0.2, std sqrt(0.02 / 2) = 0.1.
        Assert.Equal(0.1, t.Get<double>("step_time_mean")[0], 1e-9);
        Assert.Equal(0.2, t.Get<double>("step_time_max")[0], 1e-9);
        Assert.Equal(Math.Sqrt(0.02 / 3), t.Get<double>("step_time_std")[0], 1e-9);
        Assert.Equal(0.1, t.Get<double>("step_time_mean")[1], 1e-9);
        Assert.Equal(0.2, t.Get<double>("step_time_max")[1], 1e-9);
        Assert.Equal(0.1, t.Get<double>("step_time_std")[1], 1e-9);
    }

    [Fact]
    public async Task Training_SameSteps_ReferenceColumnsAndRewardSums()
    {
        using var dir = new TempDir();
        var file = dir.Write("0-iteration.csv", Csv);
        using var log = await DeepRacerLog.OpenAsync(file);
        var t = EpisodeTable.Aggregate(await log.LoadTrainingTraceAsync());

        Assert.False(t.IsEvaluation);
        Assert.Equal(
            ["iteration", "episode", "steps", "start_at", "progress", "time", "dist", "new_reward", "speed", "reward", "time_if_complete", "reward_if_complete", "quintile", "complete", "step_time_mean", "step_time_max", "step_time_std"],
            t.Columns.Select(c => c.Name));
        Assert.Equal([3.0, 2.0], t.Get<double>("reward").ToArray());
        Assert.Equal([3.0, 2.0], t.Reward.ToArray());
        Assert.Equal([0, 0], t.Iteration.ToArray());
        Assert.Equal([3.0, 2.0], t.Get<double>("new_reward").ToArray());
        Assert.Equal(3.0 * 100 / 12, t.Get<double>("reward_if_complete")[0], 1e-9);
        Assert.Equal(2.0, t.Get<double>("reward_if_complete")[1], 1e-9);
        Assert.Equal(0.4 * 100 / 12, t.Get<double>("time_if_complete")[0], 1e-9);
    }

    [Fact]
    public async Task Evaluation_OffTrackLap_CountsOffTrackNotCrash()
    {
        using var dir = new TempDir();
        var file = dir.Write("0-iteration.csv", Csv.Replace(",crashed,", ",off_track,", StringComparison.Ordinal));
        using var log = await DeepRacerLog.OpenAsync(file);
        var t = EpisodeTable.Aggregate(await log.LoadEvaluationTraceAsync());

        Assert.Equal([0, 0], t.Get<int>("crashed").ToArray());
        Assert.Equal([1, 0], t.Get<int>("off_track").ToArray());
        Assert.Equal(StepTableKind.Evaluation, (await log.LoadEvaluationTraceAsync()).Kind);
    }
    private static async Task<StepTable> TrainingAsync(string csv)
    {
        using var dir = new TempDir();
        var file = dir.Write("0-iteration.csv", csv);
        using var log = await DeepRacerLog.OpenAsync(file);
        return await log.LoadTrainingTraceAsync();
    }

    [Fact]
    public async Task Training_NewRewardPerStep_SummedPerEpisode_NaNSkipped()
    {
        var steps = await TrainingAsync(Csv);

        var t = EpisodeTable.Aggregate(steps, [double.NaN, 1, 2, 4, 8, double.NaN, 16]);

        Assert.Equal([7.0, 24.0], t.Get<double>("new_reward").ToArray());
        Assert.Equal([3.0, 2.0], t.Get<double>("reward").ToArray());
    }

    [Fact]
    public async Task Training_MinimalHeader_MissingValuesSkipped_FirstRowHasNoDifference()
    {
        // No status, reward or throttle columns (NaN), no prepare rows, two progress values nan. The table's first row has
        // no previous row, so its time and distance are skipped; episode 1's first row differs from episode 0's last.
        var steps = await TrainingAsync("""
            episode,steps,X,Y,progress,tstamp
            0,1,0,0,10.0,1.0
            0,2,3,4,nan,1.5
            0,3,3,4,20.0,1.75
            1,1,0,0,5.0,3.0
            1,2,0,0,nan,3.25

            """);

        var t = EpisodeTable.Aggregate(steps);

        Assert.Equal([3, 2], t.Get<int>("steps").ToArray());
        Assert.Equal([20.0, 5.0], t.Get<double>("progress").ToArray());
        Assert.Equal([0.75, 1.5], t.Get<double>("time").ToArray());
        Assert.Equal([5.0, 5.0], t.Get<double>("dist").ToArray());
        Assert.Equal([0.0, 0.0], t.Get<double>("reward").ToArray());
        Assert.Equal([double.NaN, double.NaN], t.Get<double>("speed").ToArray());
        Assert.Equal([3.75, 30.0], t.Get<double>("time_if_complete").ToArray());
        Assert.Equal([0.375, 0.75], t.Get<double>("step_time_mean").ToArray());
        Assert.Equal([0.5, 1.25], t.Get<double>("step_time_max").ToArray());
        // python3: statistics.stdev([0.5, 0.25]), statistics.stdev([1.25, 0.25])
        Assert.Equal(0.1767766952966369, t.Get<double>("step_time_std")[0], 1e-12);
        Assert.Equal(0.7071067811865476, t.Get<double>("step_time_std")[1], 1e-12);
    }

    [Fact]
    public async Task Aggregate_NewRewardOfAnotherLength_OrNoSteps_Throws()
    {
        var steps = await TrainingAsync(Csv);

        var e = Assert.Throws<ArgumentException>(() => EpisodeTable.Aggregate(steps, new double[6]));

        Assert.Equal("newReward has 6 values for 7 steps. (Parameter 'newReward')", e.Message);
        Assert.Throws<ArgumentNullException>(() => EpisodeTable.Aggregate(null!, null));
    }

    [Fact]
    public async Task Training_QuintilesOfEpisodesNotStartingAtZero_EdgesBelongToTheLowerBin()
    {
        // pandas.cut(episodes, 5) as the reference: bins (9.99, 12], (12, 14], (14, 16], (16, 18], (18, 20]; 12, 14, 16, 18 sit on edges.
        int[] episodes = [10, 12, 13, 14, 15, 16, 17, 18, 19, 20];
        var csv = "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration\n" +
            string.Concat(episodes.Select(e => $"{e},1.0,0,0,0,0,1.0,0,1.0,True,True,10.0,1,17.7,{e}.0,in_progress,0.0\n"));

        var t = EpisodeTable.Aggregate(await TrainingAsync(csv));

        Assert.Equal(episodes, t.Episode.ToArray());
        Assert.Equal(["1st", "1st", "2nd", "2nd", "3rd", "3rd", "4th", "4th", "5th", "5th"], t.Get<string>("quintile").ToArray());
    }
}
