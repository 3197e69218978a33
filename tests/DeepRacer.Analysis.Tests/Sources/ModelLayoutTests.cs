using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Tests.Sources;

// Synthetic file lists following spec 1.2/1.3; the expected counts are those of the lists written here.
public class ModelLayoutTests
{
    private static List<SourceFile> Files(params string[] paths) => [.. paths.Select(p => new SourceFile(p, 10))];

    [Fact]
    public void Detect_ConsoleExport_ConsoleModelWithLogs()
    {
        var layout = ModelLayout.Detect(Files(
            "sim-trace/training/training-simtrace/0-iteration.csv",
            "sim-trace/training/training-simtrace/10-iteration.csv",
            "sim-trace/evaluation/20220612082523-IBZwYd0MRMqgwKlAe7bb0A/evaluation-simtrace/0-iteration.csv",
            "logs/training/training-20220611230350-EHNgTNY2T9-77qXhqjBi6A-sagemaker.log",
            "logs/evaluation/evaluation-20220612082853-IBZwYd0MRMqgwKlAe7bb0A-robomaker.log",
            "logs/leaderboard/leaderboard-20220703172842-wDhqXQC-SkGOinLUdZCQZQ-robomaker.log",
            "metrics/training/training-20220611205309-EHNgTNY2T9-77qXhqjBi6A.json",
            "model/model_metadata.json",
            "ip/hyperparameters.json"));
        Assert.Equal(FolderType.ConsoleModelWithLogs, layout.FolderType);
        Assert.Equal([0, 10], layout.TrainingTraces.Select(t => t.Iteration).Order().ToArray());
        var eval = Assert.Single(layout.EvaluationTraces);
        Assert.Equal("20220612082523", eval.Stream);
        Assert.Empty(layout.TrainingLogs); // the console sample has no training robomaker log: not a crash
        Assert.Equal("20220612082853", Assert.Single(layout.EvaluationLogs).Stream);
        Assert.Equal("20220703172842", Assert.Single(layout.LeaderboardLogs).Stream);
        Assert.Single(layout.TrainerLogs);
        Assert.Single(layout.MetricsFiles);
        Assert.NotNull(layout.ModelMetadata);
        Assert.NotNull(layout.Hyperparameters);
    }

    [Fact]
    public void Detect_DroaExport_DroaSolutionLogs()
    {
        const string training = "2026-03-06T18:33:59.511Z-deepracerindy-training-ACGVRmRuFNU9NkQ";
        const string evaluation = "2026-03-07T17:52:00.898Z-deepracerindy-evaluation-9oJ3QbS0SYm7Iag";
        var layout = ModelLayout.Detect(Files(
            $"sim-trace/training/{training}/training-simtrace/0-iteration.csv",
            $"sim-trace/training/{training}/training-simtrace/1-iteration.csv",
            $"sim-trace/evaluation/{evaluation}/evaluation-simtrace/0-iteration.csv",
            "logs/training/2026-03-06T20:36:57.936Z-deepracerindy-training-ACGVRmRuFNU9NkQ-simulation.log",
            "logs/training/2026-03-06T20:36:57.936Z-deepracerindy-training-ACGVRmRuFNU9NkQ-training.log",
            "logs/evaluation/2026-03-07T17:59:20.610Z-deepracerindy-evaluation-9oJ3QbS0SYm7Iag-simulation.log",
            $"metrics/training/{training}.json"));
        Assert.Equal(FolderType.DroaSolutionLogs, layout.FolderType);
        Assert.Equal(2, layout.TrainingTraces.Count);
        // The simtrace and the log of one job carry different time stamps: both are the job's stream.
        Assert.Equal("deepracerindy-evaluation-9oJ3QbS0SYm7Iag", Assert.Single(layout.EvaluationTraces).Stream);
        Assert.Single(layout.TrainingLogs);
        Assert.Equal("deepracerindy-evaluation-9oJ3QbS0SYm7Iag", Assert.Single(layout.EvaluationLogs).Stream);
        Assert.Single(layout.TrainerLogs);
    }

    [Fact]
    public void Detect_DroaEvaluationOnlyExport_DroaSolutionLogsWithoutTraining()
    {
        var layout = ModelLayout.Detect(Files(
            "sim-trace/evaluation/2026-03-07T17:52:00.898Z-deepracerindy-evaluation-9oJ3QbS0SYm7Iag/evaluation-simtrace/0-iteration.csv",
            "logs/evaluation/2026-03-07T17:59:20.610Z-deepracerindy-evaluation-9oJ3QbS0SYm7Iag-simulation.log",
            "metrics/evaluation/2026-03-07T17:52:00.898Z-deepracerindy-evaluation-9oJ3QbS0SYm7Iag.json"));
        Assert.Equal(FolderType.DroaSolutionLogs, layout.FolderType);
        Assert.Empty(layout.TrainingTraces);
        Assert.Empty(layout.TrainingLogs);
        Assert.Single(layout.EvaluationTraces);
        Assert.Single(layout.EvaluationLogs);
    }

    [Fact]
    public void Detect_DrfcSingleWorker_DrfcModelSingleWorkers()
    {
        var layout = ModelLayout.Detect(Files(
            "training-simtrace/0-iteration.csv",
            "training-simtrace/1-iteration.csv",
            "training-simtrace/2-iteration.csv",
            "evaluation-20220709200242/evaluation-simtrace/0-iteration.csv",
            "evaluation-20220709200509/evaluation-simtrace/0-iteration.csv",
            "metrics/TrainingMetrics.json",
            "model/model_metadata.json",
            "ip/hyperparameters.json",
            "reward_function.py"));
        Assert.Equal(FolderType.DrfcModelSingleWorkers, layout.FolderType);
        Assert.Equal(3, layout.TrainingTraces.Count);
        Assert.All(layout.TrainingTraces, t => Assert.Equal(0, t.Worker));
        Assert.Equal(["20220709200242", "20220709200509"], layout.EvaluationTraces.Select(t => t.Stream).Order().ToArray());
        Assert.NotNull(layout.ModelMetadata);
    }

    [Fact]
    public void Detect_TwelveWorkers_FindsWorkers10And11()
    {
        var paths = new List<string>();
        for (var w = 0; w < 12; w++)
        {
            paths.Add($"{w}/training-simtrace/0-iteration.csv");
            paths.Add($"{w}/training-simtrace/1-iteration.csv");
        }

        paths.Add("metrics/TrainingMetrics_11.json");
        var layout = ModelLayout.Detect(Files([.. paths]));
        Assert.Equal(FolderType.DrfcModelMultipleWorkers, layout.FolderType);
        Assert.Equal(24, layout.TrainingTraces.Count);
        Assert.Equal(Enumerable.Range(0, 12).ToArray(), layout.Workers.ToArray());
        var t = Assert.Single(layout.TrainingTraces, t => t.File.Path == "11/training-simtrace/1-iteration.csv");
        Assert.Equal(11, t.Worker);
        Assert.Equal(1, t.Iteration);
    }

    [Fact]
    public void Detect_ModelFolderOnly_DrfcModelUpload()
    {
        var layout = ModelLayout.Detect(Files("model/model_metadata.json", "model/model.pb", "ip/hyperparameters.json"));
        Assert.Equal(FolderType.DrfcModelUpload, layout.FolderType);
        Assert.Empty(layout.TrainingTraces);
        Assert.Empty(layout.EvaluationTraces);
    }

    [Fact]
    public void Detect_UploadWithEvaluation_EvaluationTracesListed()
    {
        var layout = ModelLayout.Detect(Files("model/model_metadata.json", "evaluation-20220709201503/evaluation-simtrace/0-iteration.csv"));
        Assert.Equal(FolderType.DrfcModelUpload, layout.FolderType);
        Assert.Equal("20220709201503", Assert.Single(layout.EvaluationTraces).Stream);
    }

    [Fact]
    public void Detect_WrapperFolder_LooksOneLevelDownAndKeepsFullPaths()
    {
        var layout = ModelLayout.Detect(Files(
            "my-model/training-simtrace/0-iteration.csv",
            "my-model/training-simtrace/1-iteration.csv",
            "my-model/model/model_metadata.json"));
        Assert.Equal(FolderType.DrfcModelSingleWorkers, layout.FolderType);
        Assert.Equal(2, layout.TrainingTraces.Count);
        Assert.Contains(layout.TrainingTraces, t => t.File.Path == "my-model/training-simtrace/1-iteration.csv" && t.Iteration == 1);
        Assert.Equal("my-model/model/model_metadata.json", layout.ModelMetadata?.Path);
    }

    [Fact]
    public void Detect_Junk_UnknownFolder()
    {
        var layout = ModelLayout.Detect(Files("notes.txt", "pictures/a.png", "b/c/d.csv"));
        Assert.Equal(FolderType.UnknownFolder, layout.FolderType);
        Assert.Empty(layout.TrainingTraces);
    }

    [Fact]
    public void Detect_EmptySimTrace_DroaSolutionLogs()
    {
        // spec 1.3: sim-trace/ with nothing usable is still DROA.
        Assert.Equal(FolderType.DroaSolutionLogs, ModelLayout.Detect(Files("sim-trace/readme.txt")).FolderType);
    }

    [Fact]
    public void ForSingleFile_Csv_IterationFromName()
    {
        var layout = ModelLayout.ForSingleFile(new SourceFile("12-iteration.csv", 5));
        Assert.Equal(FolderType.SingleFile, layout.FolderType);
        Assert.Equal(12, Assert.Single(layout.TrainingTraces).Iteration);
    }

    [Fact]
    public async Task OpenAsync_UnknownFolder_ThrowsListingFilesAndLayouts()
    {
        using var dir = new TempDir();
        dir.Write("notes.txt", "hello");
        dir.Write("junk/data.bin", "x");
        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => DeepRacerLog.OpenAsync(dir.Path));
        Assert.Contains("notes.txt", e.Message, StringComparison.Ordinal);
        Assert.Contains("junk/data.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("training-simtrace/", e.Message, StringComparison.Ordinal);
        Assert.Contains("sim-trace/", e.Message, StringComparison.Ordinal);
        Assert.Contains("model/", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_EmptyFolder_Throws()
    {
        using var dir = new TempDir();
        await Assert.ThrowsAsync<DeepRacerLogException>(() => DeepRacerLog.OpenAsync(dir.Path));
    }

    [Fact]
    public async Task OpenAsync_MissingPath_Throws()
    {
        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => DeepRacerLog.OpenAsync(Path.Combine(Path.GetTempPath(), "drlog-no-such-" + Guid.NewGuid().ToString("N"))));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sample-console-logs", FolderType.ConsoleModelWithLogs)]
    [InlineData("sample-drfc-1-logs", FolderType.DrfcModelSingleWorkers)]
    [InlineData("sample-drfc-3-logs", FolderType.DrfcModelMultipleWorkers)]
    [InlineData("sample-droa-solution-logs", FolderType.DroaSolutionLogs)]
    [InlineData("sample-droa-solution-logs.tar.gz", FolderType.DroaSolutionLogs)]
    public async Task OpenAsync_Samples_DetectsFolderType(string sample, FolderType expected)
    {
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample(sample));
        Assert.Equal(expected, log.FolderType);
    }
    [Fact]
    public async Task LoadLogs_ConsoleWithoutTrainingLog_ThrowsInsteadOfCrashing()
    {
        // The console sample has no logs/training/*-robomaker.log (ls); the reference crashes with IndexError (spec 1.3).
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample("sample-console-logs"));
        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => log.LoadLogsAsync(DeepRacer.Analysis.Tables.StepTableKind.Training));
        Assert.Contains("training", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadTraining_EvaluationOnlyExport_ThrowsSayingWhatWasFound()
    {
        using var dir = new TempDir();
        dir.Write("sim-trace/evaluation/2026-03-07T17:52:00.898Z-deepracerindy-evaluation-x/evaluation-simtrace/0-iteration.csv",
            "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration\n");
        using var log = await DeepRacerLog.OpenAsync(dir.Path);
        Assert.Equal(FolderType.DroaSolutionLogs, log.FolderType);
        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => log.LoadTrainingTraceAsync());
        Assert.Contains("evaluation simtrace: 1 runs", e.Message, StringComparison.Ordinal);
    }
}
