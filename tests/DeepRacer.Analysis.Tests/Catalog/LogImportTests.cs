using DeepRacer.Analysis.Catalog;

namespace DeepRacer.Analysis.Tests.Catalog;

/// <summary>Import of the shared samples' logs; expected values found by hand with grep, sha256sum, wc -l and python3 on the files.</summary>
public sealed class LogImportTests
{
    private const string ConsolePrefix = "data-2cc597af-b029-4caa-af39-eb0b6d2fff35/models/2977ce21-ef27-4771-9f03-3b9c3cf74fb4/sagemaker-robomaker-artifacts";
    private const string DroaBucket = "drdev-deepracer-on-aws-s3bucketmodelstoragebucket0-flvihr9w2whi";
    private const string DroaPrefix = "admin19c0b9859c/models/ACGVRmRuFNU9NkQ/sagemaker-artifacts";

    [Fact]
    public async Task Import_SampleFolders_FillsTheColumns()
    {
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);

        var results = await catalog.ImportAsync([TestSupport.Sample("sample-console-logs/logs"), TestSupport.Sample("sample-droa-solution-logs/logs")]);

        Assert.Equal(7, results.Count);
        Assert.All(results, r => Assert.Equal((CatalogOutcome.Imported, CatalogStatus.Ok), (r.Outcome, r.Status!.Value)));
        var rows = catalog.Local.Read().Rows;
        Assert.Empty(catalog.CloudWatch.Read().Rows);
        Assert.Equal(
            [
                "evaluation-deepracerindy-evaluation-9oJ3QbS0SYm7Iag", "simulation-job-deepracerindy-training-ACGVRmRuFNU9NkQ",
                "leaderboard-zi4mg1gOTvugQLn-3BfL4g", "leaderboard-wDhqXQC-SkGOinLUdZCQZQ", "evaluation-PMfF__s5QJSQT_-E0rEYwg",
                "evaluation-IBZwYd0MRMqgwKlAe7bb0A", "training-job-EHNgTNY2T9-77qXhqjBi6A",
            ],
            rows.Select(r => r.Key));

        // Console evaluation: env dump WORLD_NAME=reinvent_base, NUMBER_OF_TRIALS=3; "S3 bucket:"/"S3 prefix:" lines;
        // the file name's time 20220612082853 (no per-line times in console logs).
        var eval = rows.Single(r => r.Id == "IBZwYd0MRMqgwKlAe7bb0A");
        Assert.Equal(("Analysis-Demo", CatalogLogType.Evaluation, "reinvent_base", "reinvent_base", 3), (eval.ModelName, eval.LogType, eval.WorldName, eval.Track, eval.NTrials!.Value));
        Assert.Equal(("aws-deepracer-data-us-east-1-1", ConsolePrefix), (eval.S3Bucket, eval.S3Prefix));
        Assert.Equal((1045L, 112947L, "dd34dbe8ebbbc5990bfdec1db7475cdd5738859fc880c78c19d07bd7baf6881e"), (eval.Events!.Value, eval.Bytes!.Value, eval.Sha256));
        Assert.Null(eval.FirstEventTimestamp);
        Assert.Equal(new DateTimeOffset(2022, 6, 12, 8, 28, 53, TimeSpan.Zero), eval.LastEventTimestamp);
        Assert.Null(eval.TrainingJobDuration);
        Assert.Equal((30.0, 7, 2.0, 2), (eval.MaxSteeringAngle, eval.SteeringAngleGranularity, eval.MaxSpeed, eval.SpeedGranularity));
        // From the trainer of the same S3 prefix: the sagemaker log's hyper-parameter block and pretrained_s3_bucket=None.
        Assert.Equal((64, 0.01, 0.95, "huber", 0.0003, 3, 20), (eval.BatchSize, eval.BetaEntropy, eval.DiscountFactor, eval.LossType, eval.LearningRate, eval.NumEpochs, eval.NumEpisodesBetweenTraining));
        Assert.False(eval.Cloned);

        // Leaderboard: its dictionary has LEADERBOARD_NAME 'Demo-Race' and a metrics key under leaderboard/.
        var leaderboard = rows.Single(r => r.Id == "wDhqXQC-SkGOinLUdZCQZQ");
        Assert.Equal((CatalogLogType.Leaderboard, "Analysis-Demo", 3, ConsolePrefix, 975L), (leaderboard.LogType, leaderboard.ModelName, leaderboard.NTrials!.Value, leaderboard.S3Prefix, leaderboard.Events!.Value));

        // Sagemaker: "Training Worker Args: Namespace(... pretrained_s3_bucket=None, ... s3_bucket='aws-deepracer-data-us-east-1-1', s3_prefix='...')".
        var trainer = rows.Single(r => r.LogType == CatalogLogType.TrainingJob);
        Assert.Equal(("EHNgTNY2T9-77qXhqjBi6A", "Analysis-Demo", false, ConsolePrefix), (trainer.Id, trainer.ModelName, trainer.Cloned!.Value, trainer.S3Prefix));
        Assert.Null(trainer.NTrials);
        Assert.Equal((64, 0.95, "huber", 3), (trainer.BatchSize, trainer.DiscountFactor, trainer.LossType, trainer.NumEpochs));

        // DROA training: 'MODEL_NAME': 'Progress-Test-B-1', "World name passed in YAML: Spain_track"; ROS 2 stamps from
        // 1772822221.717923 (18:37:01.717); the file name says 20:36:57.936.
        var droa = rows.Single(r => r.Id == "deepracerindy-training-ACGVRmRuFNU9NkQ");
        Assert.Equal((CatalogLogType.SimulationJob, "Progress-Test-B-1", "Spain_track", "Spain_track"), (droa.LogType, droa.ModelName, droa.WorldName, droa.Track));
        Assert.Equal((DroaBucket, DroaPrefix), (droa.S3Bucket, droa.S3Prefix));
        Assert.Equal(new DateTimeOffset(2026, 3, 6, 18, 37, 1, 717, TimeSpan.Zero), droa.FirstEventTimestamp);
        Assert.Equal(new DateTimeOffset(2026, 3, 6, 20, 36, 57, 936, TimeSpan.Zero), droa.LastEventTimestamp);
        Assert.Equal(7196.219, droa.TrainingJobDuration);
        Assert.Equal((25.0, 11, 2.5, 6), (droa.MaxSteeringAngle, droa.SteeringAngleGranularity, droa.MaxSpeed, droa.SpeedGranularity));
        Assert.Equal((64, 0.95, "huber", 3, 20), (droa.BatchSize, droa.DiscountFactor, droa.LossType, droa.NumEpochs, droa.NumEpisodesBetweenTraining));
        Assert.Equal((1481L, 262957L), (droa.Events!.Value, droa.Bytes!.Value));

        // DROA evaluation: 'NUMBER_OF_TRIALS': 3 (unquoted), hyperparameters from the DROA training of the same prefix.
        var droaEval = rows.Single(r => r.Id == "deepracerindy-evaluation-9oJ3QbS0SYm7Iag");
        Assert.Equal((CatalogLogType.Evaluation, "Progress-Test-B-1", 3, DroaPrefix, 0.95), (droaEval.LogType, droaEval.ModelName, droaEval.NTrials!.Value, droaEval.S3Prefix, droaEval.DiscountFactor!.Value));
        Assert.Equal(new DateTimeOffset(2026, 3, 7, 17, 54, 58, 847, TimeSpan.Zero), droaEval.FirstEventTimestamp);
        Assert.Equal(261.763, droaEval.TrainingJobDuration);

        Assert.True(File.Exists(Path.Combine(dir.Path, "local_training", "evaluation-IBZwYd0MRMqgwKlAe7bb0A.log")));
        Assert.Empty(catalog.Verify());
    }

    [Fact]
    public async Task Import_AgainAndFind_ById()
    {
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);
        var file = TestSupport.Sample("sample-console-logs/logs/evaluation/evaluation-20220612082853-IBZwYd0MRMqgwKlAe7bb0A-robomaker.log");

        await catalog.ImportAsync([file]);
        await catalog.ImportAsync([file]);

        var entry = catalog.Find("IBZwYd0MRMqgwKlAe7bb0A");
        Assert.NotNull(entry);
        Assert.Equal(Path.Combine(dir.Path, "local_training", "evaluation-IBZwYd0MRMqgwKlAe7bb0A.log"), entry.FilePath);
        Assert.Equal(entry, catalog.Find("evaluation-IBZwYd0MRMqgwKlAe7bb0A"));
        Assert.Single(catalog.List());
        Assert.Null(catalog.Find("sim-nothere"));
    }

    [Fact]
    public async Task Import_MissingPath_OneLineError()
    {
        using var dir = new TempDir();

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => LogCatalog.Open(dir.Path).ImportAsync([Path.Combine(dir.Path, "nope.log")]));

        Assert.Contains("nope.log does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_RemovesRowAndFiles()
    {
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);
        await catalog.ImportAsync([TestSupport.Sample("sample-console-logs/logs/leaderboard")]);

        var deleted = catalog.Delete(["zi4mg1gOTvugQLn-3BfL4g"], deleteFiles: true);

        Assert.False(File.Exists(Assert.Single(deleted).FilePath));
        Assert.Equal(["wDhqXQC-SkGOinLUdZCQZQ"], catalog.List().Select(e => e.Row.Id));
        Assert.Throws<DeepRacerLogException>(() => catalog.Delete(["zi4mg1gOTvugQLn-3BfL4g"], deleteFiles: false));
    }

    [Fact]
    public async Task Import_DrfcStyleName_IdCarriesAContentHash()
    {
        using var dir = new TempDir();
        var drfc = Path.Combine(dir.Path, "drfc");
        Directory.CreateDirectory(drfc);
        File.Copy(TestSupport.Sample("sample-console-logs/logs/leaderboard/leaderboard-20220703172842-wDhqXQC-SkGOinLUdZCQZQ-robomaker.log"), Path.Combine(drfc, "robomaker.log"));
        var catalog = LogCatalog.Open(Path.Combine(dir.Path, "catalog"));

        await catalog.ImportAsync([drfc]);
        await catalog.ImportAsync([Path.Combine(drfc, "robomaker.log")]);

        // python3: sha256 of the first 200 lines without their newlines, first 8 hex digits.
        var row = Assert.Single(catalog.Local.Read().Rows);
        Assert.Equal(("robomaker-5895b550", CatalogLogType.Leaderboard), (row.Id, row.LogType));
        Assert.Null(row.LastEventTimestamp);

        // The log of a running job grows: imported again it stays one row, now with the longer file.
        await File.AppendAllTextAsync(Path.Combine(drfc, "robomaker.log"), "one more line\n");
        await catalog.ImportAsync([Path.Combine(drfc, "robomaker.log")]);
        var grown = Assert.Single(catalog.Local.Read().Rows);
        Assert.Equal("robomaker-5895b550", grown.Id);
        Assert.Equal(row.Bytes + "one more line\n".Length, grown.Bytes);

        // A folder that holds the catalog itself: its copies are not imported again.
        await catalog.ImportAsync([dir.Path]);
        Assert.Single(catalog.Local.Read().Rows);
    }

    [Fact]
    public async Task Import_TrainerLogWithoutWorkerArgs_IsStillATrainingJob()
    {
        using var dir = new TempDir();
        // The console sagemaker log without its line 2 ("Training Worker Args: ..."): its 84 "Policy training>" lines remain.
        var lines = File.ReadAllLines(TestSupport.Sample("sample-console-logs/logs/training/training-20220611230350-EHNgTNY2T9-77qXhqjBi6A-sagemaker.log")).ToList();
        Assert.StartsWith("Training Worker Args:", lines[1], StringComparison.Ordinal);
        lines.RemoveAt(1);
        var file = dir.Write("in/trainer.log", string.Join('\n', lines) + "\n");
        var catalog = LogCatalog.Open(Path.Combine(dir.Path, "catalog"));

        await catalog.ImportAsync([file]);

        var row = Assert.Single(catalog.Local.Read().Rows);
        Assert.Equal((CatalogLogType.TrainingJob, CatalogStatus.Ok, 1113L, 64), (row.LogType, row.Status, row.Events!.Value, row.BatchSize!.Value));
        Assert.Null(row.S3Prefix);
    }
}
