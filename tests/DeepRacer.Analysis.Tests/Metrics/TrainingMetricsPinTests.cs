using System.Globalization;
using System.Text;
using DeepRacer.Analysis.Metrics;

namespace DeepRacer.Analysis.Tests.Metrics;

/// <summary>
/// Pins the metrics views on a hand-made DRfC file of two iterations (three trials each): best laps and their order,
/// the best-lap progression's episode columns, summary aggregates (odd and even medians, min, max, mean) and the phase
/// filter. Every expected value is worked out on paper from the rows below; iteration = (episode − 1) // 3.
/// </summary>
public sealed class TrainingMetricsPinTests
{
    // (phase, episode, trial, reward, completion %, elapsed ms)
    private static readonly (string Phase, int Episode, int Trial, int Reward, int Completion, int Ms)[] s_rows =
    [
        ("training", 1, 1, 10, 100, 9000),
        ("training", 2, 2, 20, 100, 8000),
        ("training", 3, 3, 30, 50, 3000),
        ("evaluation", 3, 3, 5, 100, 7000),
        ("evaluation", 3, 3, 6, 100, 6500),
        ("evaluation", 3, 3, 7, 40, 2000),
        ("training", 4, 1, 40, 100, 7700),
        ("training", 5, 2, 50, 100, 7500),
        ("training", 6, 3, 60, 100, 7600),
        ("evaluation", 6, 3, 8, 100, 6000),
        ("evaluation", 6, 3, 9, 100, 6200),
    ];

    private static async Task<TrainingMetrics> LoadAsync((string Phase, int Episode, int Trial, int Reward, int Completion, int Ms)[]? rows = null)
    {
        var json = new StringBuilder("{\"metrics\": [");
        var start = 1000;
        json.AppendJoin(",\n", (rows ?? s_rows).Select(r =>
        {
            start += r.Ms + 100;
            return string.Create(CultureInfo.InvariantCulture,
                $"{{\"reward_score\": {r.Reward}, \"metric_time\": {start + r.Ms}, \"start_time\": {start}, \"elapsed_time_in_milliseconds\": {r.Ms}, \"episode\": {r.Episode}, \"trial\": {r.Trial}, \"phase\": \"{r.Phase}\", \"completion_percentage\": {r.Completion}, \"episode_status\": \"{(r.Completion == 100 ? "Lap complete" : "Off track")}\"}}");
        }));
        json.Append("], \"version\": \"2\"}");
        using var dir = new TempDir();
        var file = dir.Write("metrics/TrainingMetrics.json", json.ToString());
        return await TrainingMetrics.LoadAsync(file);
    }

    [Fact]
    public async Task BestLaps_FastestCompleteFirst_IncompleteLapsNeverCount()
    {
        var metrics = await LoadAsync();

        Assert.Equal([5, 6, 4, 2], metrics.BestLaps(4, MetricsPhase.Training).Select(r => r.Episode));
        Assert.Equal([6.0, 6.2, 6.5], metrics.BestLaps(3, MetricsPhase.Evaluation).Select(r => r.Time));
        Assert.Empty(metrics.BestLaps(0, MetricsPhase.Training));
        Assert.Empty(metrics.BestLaps(-1, MetricsPhase.Training));

        var table = metrics.BestLapsTable(1);
        Assert.Equal(TrainingMetrics.ColumnNames, table.Columns.Select(c => c.Name));
        Assert.Equal(["training", "evaluation"], table.Get<string>("phase").ToArray());
        Assert.Equal([7.5, 6.0], table.Get<double>("time").ToArray());
    }

    [Fact]
    public async Task BestLapProgression_FastestCompleteLapOfEachIteration()
    {
        var metrics = await LoadAsync();
        var t = metrics.BestLapProgression();

        Assert.Equal(["r-i", "master_iteration", "train_best_time", "train_best_episode", "eval_best_time", "eval_best_episode"], t.Columns.Select(c => c.Name));
        Assert.Equal([0, 1], t.Get<int>("master_iteration").ToArray());
        // Iteration 0: training laps 9 s and 8 s complete (3 s is not); evaluation 7 s and 6.5 s complete (2 s is not).
        Assert.Equal([8.0, 7.5], t.Get<double>("train_best_time").ToArray());
        Assert.Equal([2, 5], t.Get<int>("train_best_episode").ToArray());
        Assert.Equal([6.5, 6.0], t.Get<double>("eval_best_time").ToArray());
        Assert.Equal([3, 6], t.Get<int>("eval_best_episode").ToArray());
    }

    [Fact]
    public async Task BestLapProgression_IterationWithoutCompleteLap_NaNAndMinusOne()
    {
        var metrics = await LoadAsync();
        var t = metrics.BestLapProgression(new MetricsFilter { Workers = [1] });

        Assert.Equal(0, t.RowCount);
        var incomplete = metrics.BestLapProgression(new MetricsFilter { CompletedLapsOnly = true });
        Assert.Equal([2, 5], incomplete.Get<int>("train_best_episode").ToArray());
    }

    [Fact]
    public async Task BestLapProgression_TiedLapsTheFirstWins_NoCompleteLapMinusOne()
    {
        var metrics = await LoadAsync(
        [
            ("training", 1, 1, 10, 100, 8000), ("training", 2, 2, 20, 100, 8000), ("evaluation", 2, 2, 5, 100, 6000), ("evaluation", 3, 3, 6, 100, 6000),
            ("training", 4, 1, 30, 50, 3000), ("evaluation", 6, 3, 7, 40, 2000),
        ]);
        var t = metrics.BestLapProgression();

        // Iteration 0: two 8 s training laps (episodes 1, 2) and two 6 s evaluation laps (2, 3); iteration 1: none complete.
        Assert.Equal([1, -1], t.Get<int>("train_best_episode").ToArray());
        Assert.Equal([2, -1], t.Get<int>("eval_best_episode").ToArray());
        Assert.Equal([8.0, double.NaN], t.Get<double>("train_best_time").ToArray());
        Assert.Equal([6.0, double.NaN], t.Get<double>("eval_best_time").ToArray());
    }

    [Fact]
    public async Task BestLaps_Filter_IsApplied()
    {
        var metrics = await LoadAsync();

        Assert.Empty(metrics.BestLaps(4, MetricsPhase.Training, new MetricsFilter { Workers = [1] }));
        Assert.Equal([5, 6], metrics.BestLaps(4, MetricsPhase.Training, new MetricsFilter { Rounds = [1] }).Take(2).Select(r => r.Episode));
    }

    [Fact]
    public async Task Summary_Mean_PerIterationAndPhase()
    {
        var metrics = await LoadAsync();
        var s = metrics.GetSummary();

        Assert.Equal(2, s.Count);
        Assert.Equal([0, 1], s.Select(r => r.MasterIteration));
        Assert.Equal(20, s[0].TrainReward, 12);
        Assert.Equal(250.0 / 3, s[0].TrainCompletion, 12);
        Assert.Equal(20.0 / 3, s[0].TrainTime, 12);
        Assert.Equal(2.0 / 3, s[0].TrainCompleted, 12);
        Assert.Equal(3, s[0].TrainEpisodes);
        Assert.Equal(6, s[0].EvalReward, 12);
        Assert.Equal(80, s[0].EvalCompletion, 12);
        Assert.Equal(15.5 / 3, s[0].EvalTime, 12);
        Assert.Equal(2.0 / 3, s[0].EvalCompleted, 12);
        Assert.Equal(3, s[0].EvalEpisodes);
        Assert.Equal(8.5, s[1].EvalReward, 12);
        Assert.Equal(2, s[1].EvalEpisodes);

        var table = TrainingMetrics.SummaryTable(s);
        Assert.Equal(TrainingMetrics.SummaryColumnNames, table.Columns.Select(c => c.Name));
        Assert.Equal([20.0, 50.0], table.Get<double>("train_reward").ToArray());
        Assert.Equal([3.0, 2.0], table.Get<double>("eval_episodes").ToArray());
        Assert.Equal([1.0, 1.0], [table.Get<double>("eval_completed")[1], table.Get<double>("train_completed")[1]]);
        Assert.Equal(6.1, table.Get<double>("eval_time")[1], 12);
        Assert.Equal(7.6, table.Get<double>("train_time")[1], 12);
        Assert.Equal(100, table.Get<double>("train_completion")[1], 12);
        Assert.Equal(100, table.Get<double>("eval_completion")[1], 12);
    }

    [Fact]
    public async Task Summary_Median_OddCountIsTheMiddleEvenCountTheMeanOfTheTwo()
    {
        var metrics = await LoadAsync();
        var s = metrics.GetSummary(SummaryMethod.Median);

        Assert.Equal(20, s[0].TrainReward); // 10, 20, 30
        Assert.Equal(8, s[0].TrainTime); // 3, 8, 9
        Assert.Equal(6.5, s[0].EvalTime); // 2, 6.5, 7
        Assert.Equal(8.5, s[1].EvalReward); // 8, 9
        Assert.Equal(6.1, s[1].EvalTime, 12); // 6.0, 6.2
    }

    [Fact]
    public async Task Summary_MinAndMax()
    {
        var metrics = await LoadAsync();

        Assert.Equal(3, metrics.GetSummary(SummaryMethod.Min)[0].TrainTime);
        Assert.Equal(9, metrics.GetSummary(SummaryMethod.Max)[0].TrainTime);
        Assert.Equal(40, metrics.GetSummary(SummaryMethod.Min)[0].EvalCompletion);
        Assert.Equal(9, metrics.GetSummary(SummaryMethod.Max)[1].EvalReward);
    }

    [Fact]
    public async Task Summary_CompletedLapsOnly_DropsTheIncompleteOnes()
    {
        var metrics = await LoadAsync();
        var s = metrics.GetSummary(filter: new MetricsFilter { CompletedLapsOnly = true });

        Assert.Equal(2, s[0].TrainEpisodes);
        Assert.Equal(8.5, s[0].TrainTime, 12);
        Assert.Equal(1, s[0].TrainCompleted);
    }

    [Fact]
    public async Task Summary_NoRowsOfAPhase_NaN()
    {
        var metrics = await LoadAsync();
        var s = metrics.GetSummary(filter: new MetricsFilter { Workers = [0], CompletedLapsOnly = true });

        Assert.Equal(2, s.Count);
        Assert.Empty(metrics.GetSummary(filter: new MetricsFilter { Rounds = [99] }));
        Assert.True(double.IsNaN(TrainingMetrics.Aggregate([], r => r.Reward, SummaryMethod.Mean)));
    }

    [Fact]
    public async Task ToTable_PhaseFilter()
    {
        var metrics = await LoadAsync();

        Assert.Equal(11, metrics.ToTable().RowCount);
        Assert.Equal(6, metrics.ToTable(MetricsPhase.Training).RowCount);
        var evaluation = metrics.ToTable(MetricsPhase.Evaluation);
        Assert.Equal(5, evaluation.RowCount);
        Assert.All(evaluation.Get<string>("phase").ToArray(), p => Assert.Equal("evaluation", p));
        Assert.Equal([5.0, 6, 7, 8, 9], evaluation.Get<double>("reward").ToArray());
        Assert.Equal(4, metrics.ToTable(MetricsPhase.Training, new MetricsFilter { CompletedLapsOnly = true }).RowCount - 1);
    }
}
