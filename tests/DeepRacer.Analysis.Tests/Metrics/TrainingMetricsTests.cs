using DeepRacer.Analysis.Metrics;

namespace DeepRacer.Analysis.Tests.Metrics;

/// <summary>
/// The metrics table and its views on the shared samples. Every expected value was computed by hand from the sample
/// JSON with python3 (json module): E = max(trial) of worker 0, iteration = (episode − 1) // E, plain means/medians.
/// </summary>
public sealed class TrainingMetricsTests
{
    private const string ConsoleJson = "metrics/training/training-20220611205309-EHNgTNY2T9-77qXhqjBi6A.json";

    [Theory]
    // sample, rows, training rows, evaluation rows, iterations, workers
    [InlineData("sample-console-logs", 708, 568, 140, 29, 1)]
    [InlineData("sample-drfc-1-logs", 600, 541, 59, 28, 1)]
    [InlineData("sample-drfc-3-logs", 778, 719, 59, 24, 3)]
    [InlineData("sample-droa-solution-logs", 636, 580, 56, 29, 1)]
    public async Task LoadAsync_Sample_FindsEveryWorkerFileAndCountsRows(string sample, int rows, int training, int evaluation, int iterations, int workers)
    {
        var metrics = await TrainingMetrics.LoadAsync(TestSupport.Sample(sample));

        Assert.Equal(rows, metrics.Rows.Count);
        Assert.Equal(training, metrics.Training.Count());
        Assert.Equal(evaluation, metrics.Evaluation.Count());
        Assert.Equal(iterations, metrics.Rows.Select(r => r.Iteration).Distinct().Count());
        Assert.Equal(iterations - 1, metrics.LatestMasterIteration);
        Assert.Equal(workers, metrics.Workers.Count);
        Assert.Equal(workers, metrics.Sources.Count);
    }

    [Fact]
    public async Task LoadAsync_Console_FirstRowsHaveTheReferenceColumns()
    {
        var metrics = await TrainingMetrics.LoadAsync(TestSupport.Sample("sample-console-logs"));
        var table = metrics.ToTable();

        Assert.Equal(TrainingMetrics.ColumnNames, table.Columns.Select(c => c.Name));

        // metrics[0]: reward_score 26, elapsed 2322 ms, episode 1, trial 1, completion 14, start_time 20149, Off track.
        var first = metrics.Rows[0];
        Assert.Equal(new MetricsRow("01-000", 1, 0, 0, 1, "1-0001", 0, 1, MetricsPhase.Training, 26, 14, 2.322, 0, 20149), first);

        // metrics[20] is the first evaluation row: episode 20, trial 20 → iteration 0; reward 9, completion 4, 1275 ms.
        Assert.Equal(new MetricsRow("01-000", 1, 0, 0, 20, "1-0020", 0, 20, MetricsPhase.Evaluation, 9, 4, 1.275, 0, 56138), metrics.Rows[20]);
    }

    [Fact]
    public async Task GetSummary_Console_FirstAndLastIterations()
    {
        var metrics = await TrainingMetrics.LoadAsync(TestSupport.Sample("sample-console-logs"));
        var summary = metrics.GetSummary();

        Assert.Equal(29, summary.Count);
        var s0 = summary[0];
        Assert.Equal(("01-000", 0), (s0.RoundIteration, s0.MasterIteration));
        Assert.Equal(14.8, s0.TrainReward, 10);
        Assert.Equal(9.45, s0.TrainCompletion, 10);
        Assert.Equal(1.73325, s0.TrainTime, 10);
        Assert.Equal(0, s0.TrainCompleted);
        Assert.Equal(20, s0.TrainEpisodes);
        Assert.Equal(7.4, s0.EvalReward, 10);
        Assert.Equal(3.4, s0.EvalCompletion, 10);
        Assert.Equal(5, s0.EvalEpisodes);
        Assert.Equal(13.0, summary[1].TrainReward, 10);
        Assert.Equal(34.0, summary[1].EvalReward, 10);

        // Iteration 28 is partial (8 episodes) and has no evaluation yet: NaN as pandas' outer join leaves it.
        var last = summary[^1];
        Assert.Equal("01-028", last.RoundIteration);
        Assert.Equal(87.75, last.TrainReward, 10);
        Assert.Equal(52.875, last.TrainCompletion, 10);
        Assert.Equal(8.363625, last.TrainTime, 10);
        Assert.Equal(0.25, last.TrainCompleted, 10);
        Assert.Equal(8, last.TrainEpisodes);
        Assert.True(double.IsNaN(last.EvalCompletion));
        Assert.True(double.IsNaN(last.EvalEpisodes));
    }

    [Fact]
    public async Task GetSummary_OtherMethods_Console_Iteration0()
    {
        var metrics = await TrainingMetrics.LoadAsync(TestSupport.Sample("sample-console-logs"));

        // Iteration 0's 20 training episodes: median completion 10.0, median reward 14.5, max completion 18, min time 1.008 s.
        Assert.Equal(10.0, metrics.GetSummary(SummaryMethod.Median)[0].TrainCompletion);
        Assert.Equal(14.5, metrics.GetSummary(SummaryMethod.Median)[0].TrainReward);
        Assert.Equal(18, metrics.GetSummary(SummaryMethod.Max)[0].TrainCompletion);
        Assert.Equal(1.008, metrics.GetSummary(SummaryMethod.Min)[0].TrainTime, 10);
    }

    [Theory]
    // sample, iteration-0 train episodes, reward, completion, time; eval episodes, eval reward, eval completion
    [InlineData("sample-drfc-1-logs", 20, 13.55, 9.55, 1.7636, 3, 14.666666666666666, 14.0)]
    [InlineData("sample-drfc-3-logs", 30, 12.9, 8.933333333333334, 1.6601333333333335, 6, 6.333333333333333, 3.1666666666666665)]
    [InlineData("sample-droa-solution-logs", 20, 2.45, 2.4, 1.35515, 2, 1.0, 1.0)]
    public async Task GetSummary_Samples_FirstRow(string sample, int episodes, double reward, double completion, double time, int evalEpisodes, double evalReward, double evalCompletion)
    {
        var metrics = await TrainingMetrics.LoadAsync(TestSupport.Sample(sample));
        var s0 = metrics.GetSummary()[0];

        Assert.Equal(episodes, s0.TrainEpisodes);
        Assert.Equal(reward, s0.TrainReward, 10);
        Assert.Equal(completion, s0.TrainCompletion, 10);
        Assert.Equal(time, s0.TrainTime, 10);
        Assert.Equal(evalEpisodes, s0.EvalEpisodes);
        Assert.Equal(evalReward, s0.EvalReward, 10);
        Assert.Equal(evalCompletion, s0.EvalCompletion, 10);
    }

    [Fact]
    public async Task GetSummary_Drfc3_PoolsWorkersAndFiltersThem()
    {
        var metrics = await TrainingMetrics.LoadAsync(TestSupport.Sample("sample-drfc-3-logs"));

        // Last iteration 23: 29 training episodes over the three workers, mean reward 67.89655172413794.
        var last = metrics.GetSummary()[^1];
        Assert.Equal(("01-023", 23, 29.0), (last.RoundIteration, last.MasterIteration, last.TrainEpisodes));
        Assert.Equal(67.89655172413794, last.TrainReward, 10);

        // Worker 1 alone: 10 episodes per iteration, no evaluation rows (those are worker 0's).
        var worker1 = metrics.GetSummary(filter: new MetricsFilter { Workers = [1] });
        Assert.Equal(24, worker1.Count);
        Assert.All(worker1, r => Assert.Equal(10, r.TrainEpisodes));
        Assert.All(worker1, r => Assert.True(double.IsNaN(r.EvalEpisodes)));
    }

    [Theory]
    // sample, fastest training (time s, episode, worker), fastest evaluation (time s, episode)
    [InlineData("sample-console-logs", 14.195, 433, 0, 14.602, 260)]
    [InlineData("sample-drfc-1-logs", 12.276, 386, 0, 12.386, 380)]
    [InlineData("sample-drfc-3-logs", 12.598, 133, 1, 14.627, 80)]
    [InlineData("sample-droa-solution-logs", 29.442, 547, 0, 27.985, 560)]
    public async Task BestLaps_Samples_FastestCompleteLaps(string sample, double trainTime, int trainEpisode, int trainWorker, double evalTime, int evalEpisode)
    {
        var metrics = await TrainingMetrics.LoadAsync(TestSupport.Sample(sample));

        var training = metrics.BestLaps(5, MetricsPhase.Training);
        var evaluation = metrics.BestLaps(5, MetricsPhase.Evaluation);

        Assert.Equal(5, training.Count);
        Assert.Equal((trainTime, trainEpisode, trainWorker), (training[0].Time, training[0].Episode, training[0].Worker));
        Assert.Equal((evalTime, evalEpisode), (evaluation[0].Time, evaluation[0].Episode));
        Assert.All(training.Concat(evaluation), r => Assert.Equal(1, r.Complete));
        Assert.Equal(training.Select(r => r.Time).Order(), training.Select(r => r.Time));
    }

    [Fact]
    public async Task BestLaps_Console_SecondAndThird()
    {
        var metrics = await TrainingMetrics.LoadAsync(TestSupport.Sample("sample-console-logs"));

        // Complete training laps sorted by elapsed ms: 14195 (ep 433), 14327 (ep 441), 14466 (ep 511); evaluation 14602, 14928, 15045.
        Assert.Equal([14.195, 14.327, 14.466], metrics.BestLaps(3, MetricsPhase.Training).Select(r => r.Time));
        Assert.Equal([433, 441, 511], metrics.BestLaps(3, MetricsPhase.Training).Select(r => r.Episode));
        Assert.Equal([14.602, 14.928, 15.045], metrics.BestLaps(3, MetricsPhase.Evaluation).Select(r => r.Time));
        Assert.Equal(6, metrics.BestLapsTable(3).RowCount);
    }

    [Fact]
    public async Task BestLapProgression_Console_FastestLapOfIterations()
    {
        var metrics = await TrainingMetrics.LoadAsync(TestSupport.Sample("sample-console-logs"));
        var table = metrics.BestLapProgression();

        Assert.Equal(29, table.RowCount);
        var master = table.Get<int>("master_iteration").ToArray();
        var train = table.Get<double>("train_best_time").ToArray();
        var eval = table.Get<double>("eval_best_time").ToArray();

        // The overall fastest laps (14.195 s in iteration 21, 14.602 s in evaluation after iteration 12) are their iterations' bests.
        Assert.Equal(14.195, train[Array.IndexOf(master, 21)]);
        Assert.Equal(14.602, eval[Array.IndexOf(master, 12)]);

        // Iteration 0 has no complete lap in either phase.
        Assert.True(double.IsNaN(train[0]) && double.IsNaN(eval[0]));
    }

    [Fact]
    public async Task LoadAsync_TwoRounds_MasterIterationContinues()
    {
        var folder = TestSupport.Sample("sample-drfc-1-logs");
        var metrics = await TrainingMetrics.LoadAsync([folder, folder]);

        Assert.Equal(1200, metrics.Rows.Count);
        Assert.Equal([1, 2], metrics.Rounds);

        // Round 1 has iterations 0..27, so round 2 starts at master iteration 28 and ends at 55.
        var round2 = metrics.Rows.Where(r => r.Round == 2).ToArray();
        Assert.Equal(28, round2.Min(r => r.MasterIteration));
        Assert.Equal(55, metrics.LatestMasterIteration);
        Assert.Equal([0, 28, null], [metrics.FirstMasterIteration(1), metrics.FirstMasterIteration(2), metrics.FirstMasterIteration(3)]);
        Assert.Equal(("02-000", "2-0001", 0), (round2[0].RoundIteration, round2[0].RoundEpisode, round2[0].Iteration));

        var summary = metrics.GetSummary();
        Assert.Equal(56, summary.Count);
        Assert.Equal(Enumerable.Range(0, 56), summary.Select(s => s.MasterIteration));
        Assert.Equal(summary[0].TrainReward, summary[28].TrainReward);
        Assert.Equal(28, metrics.GetSummary(filter: new MetricsFilter { Rounds = [2] }).Count);
    }

    [Fact]
    public async Task LoadAsync_SingleJsonFile_IsOneRound()
    {
        var metrics = await TrainingMetrics.LoadAsync(Path.Combine(TestSupport.Sample("sample-console-logs"), ConsoleJson));

        Assert.Equal(708, metrics.Rows.Count);
    }

    [Fact]
    public async Task LoadAsync_TarGz_EqualsFolder()
    {
        var folder = await TrainingMetrics.LoadAsync(TestSupport.Sample("sample-droa-solution-logs"));
        var tarball = await TrainingMetrics.LoadAsync(TestSupport.Sample("sample-droa-solution-logs.tar.gz"));

        Assert.Equal(folder.Rows, tarball.Rows);
    }

    [Fact]
    public async Task LoadAsync_EvaluationMetricsAsTraining_SaysSo()
    {
        var file = Path.Combine(TestSupport.Sample("sample-drfc-1-logs"), "metrics", "EvaluationMetrics-20220709200242.json");

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => TrainingMetrics.LoadAsync(file));

        Assert.Contains("EvaluationMetrics-20220709200242.json holds evaluation metrics", e.Message, StringComparison.Ordinal);
        Assert.Contains("give the training metrics", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task LoadAsync_EmptyFile_SaysEmpty()
    {
        using var temp = new TempDir();
        var file = temp.Write("TrainingMetrics.json", "");

        var e = await Assert.ThrowsAsync<IncompleteMetricsException>(() => TrainingMetrics.LoadAsync(file));

        Assert.Contains("TrainingMetrics.json is empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_TruncatedFile_SaysIncomplete()
    {
        using var temp = new TempDir();
        var text = File.ReadAllText(Path.Combine(TestSupport.Sample("sample-drfc-1-logs"), "metrics", "TrainingMetrics.json"));
        var file = temp.Write("TrainingMetrics.json", text[..(text.Length / 2)]);

        var e = await Assert.ThrowsAsync<IncompleteMetricsException>(() => TrainingMetrics.LoadAsync(file));

        Assert.Contains("stops in the middle of its JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_NotJson_SaysInvalid()
    {
        using var temp = new TempDir();
        var file = temp.Write("TrainingMetrics.json", "{\"metrics\": [}");

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => TrainingMetrics.LoadAsync(file));

        Assert.IsNotType<IncompleteMetricsException>(e);
        Assert.Contains("is not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MissingFolder_SaysDoesNotExist()
    {
        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => TrainingMetrics.LoadAsync(TestSupport.Sample("no-such-model")));

        Assert.Contains("no-such-model does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_FolderWithEvaluationMetricsOnly_SaysSo()
    {
        using var temp = new TempDir();
        temp.Write("metrics/EvaluationMetrics-20220709200242.json", File.ReadAllText(Path.Combine(TestSupport.Sample("sample-drfc-1-logs"), "metrics", "EvaluationMetrics-20220709200242.json")));

        var e = await Assert.ThrowsAnyAsync<DeepRacerLogException>(() => TrainingMetrics.LoadAsync(temp.Path));

        Assert.Contains("has evaluation metrics only", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_WorkerFileAlone_AsksForWorker0()
    {
        var file = Path.Combine(TestSupport.Sample("sample-drfc-3-logs"), "metrics", "TrainingMetrics_1.json");

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => TrainingMetrics.LoadAsync(file));

        Assert.Contains("worker 1's file", e.Message, StringComparison.Ordinal);
        Assert.Contains("TrainingMetrics.json", e.Message, StringComparison.Ordinal);
    }
}
