using DeepRacer.Analysis.Catalog;
using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Tests.Catalog;

/// <summary>
/// The real client against <see cref="CloudWatchTestServer"/>. Expected values were checked by hand on the samples:
/// sha256sum, wc -l and stat -c %s of each log (a downloaded stream is the sample byte for byte), grep for the header lines.
/// </summary>
public sealed class CloudWatchFetchTests
{
    // sha256sum / wc -l / stat -c %s of the sample files.
    private const string Evaluation1Sha = "dd34dbe8ebbbc5990bfdec1db7475cdd5738859fc880c78c19d07bd7baf6881e";
    private const string SagemakerSha = "ae2957ec6a8be814e4d6954f276821265c77618866a7b862f60f596f8ebbe294";
    private const string Leaderboard1Sha = "9f7ff38befdf0b761d2ea2ec8208b94133a321a89b7ad606a5a4998d547d4cbf";
    private const string DroaEvaluationSha = "937b7a24dcee12065f386686a51e06123b1b5a6d7015fd45f4333d5cb3f2d967";
    private const string ConsolePrefix = "data-2cc597af-b029-4caa-af39-eb0b6d2fff35/models/2977ce21-ef27-4771-9f03-3b9c3cf74fb4/sagemaker-robomaker-artifacts";

    private static async Task<IReadOnlyList<CatalogItemResult>> FetchAsync(CloudWatchTestServer server, LogCatalog catalog, FetchRequest? request = null, string? secret = null)
    {
        using var client = await CloudWatchLogsClient.CreateAsync(CloudWatchSamples.Options(server, secret));
        return await catalog.FetchAsync(client, request ?? new FetchRequest { Groups = LogCatalog.GroupsOf(LogOrigin.Console) });
    }

    [Fact]
    public async Task Fetch_AllGroups_GivesOneRowPerJobWithModelNamesFilled()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server);
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);

        var results = await FetchAsync(server, catalog);

        Assert.Equal(0, server.SignatureFailures);
        Assert.All(results, r => Assert.Equal(CatalogOutcome.Fetched, r.Outcome));
        var rows = catalog.CloudWatch.Read().Rows;
        // Newest first (by last event).
        Assert.Equal(
            [
                "evaluation-sim-droaeval00001", "simulation-job-sim-droatrain0001", "leaderboard-sim-pvl99qy8kvbv", "leaderboard-sim-7dlscz7fw4vl",
                "evaluation-sim-4dnvn7g5y0wk", "evaluation-sim-ggd6pry2r37m", "training-job-dr-sm-rltj--20220611205309-2977ce21",
            ],
            rows.Select(r => r.Key));

        var eval = rows.Single(r => r.Id == "sim-ggd6pry2r37m");
        Assert.Equal("Analysis-Demo", eval.ModelName);
        Assert.Equal(CatalogLogType.Evaluation, eval.LogType);
        Assert.Equal("reinvent_base", eval.WorldName);
        Assert.Equal("reinvent_base", eval.Track);
        Assert.Equal(CatalogStatus.Ok, eval.Status);
        Assert.Equal(1045, eval.Events);
        Assert.Equal(112947, eval.Bytes);
        Assert.Equal(Evaluation1Sha, eval.Sha256);
        Assert.Equal(CloudWatchSamples.Evaluation1Start, eval.FirstEventTimestamp);
        Assert.Equal(CloudWatchSamples.Evaluation1Start.AddMilliseconds(1044 * 100), eval.LastEventTimestamp);
        Assert.Equal(104.4, eval.TrainingJobDuration);
        Assert.Equal(3, eval.NTrials);
        Assert.Equal("aws-deepracer-data-us-east-1-1", eval.S3Bucket);
        Assert.Equal(ConsolePrefix, eval.S3Prefix);
        // Action space: steering -30..30 in 7 steps, speeds 1 and 2 (the "Action space from file" line).
        Assert.Equal((30.0, 7, 2.0, 2), (eval.MaxSteeringAngle, eval.SteeringAngleGranularity, eval.MaxSpeed, eval.SpeedGranularity));
        // Hyperparameters of the training (sagemaker log), not the evaluation's printed defaults (0.999, mean squared error, 10).
        Assert.Equal((64, 0.01, 0.95, "huber", 0.0003, 3, 20), (eval.BatchSize, eval.BetaEntropy, eval.DiscountFactor, eval.LossType, eval.LearningRate, eval.NumEpochs, eval.NumEpisodesBetweenTraining));
        Assert.Equal(Evaluation1Sha, Sha(Path.Combine(dir.Path, "cloudwatch", "evaluation-sim-ggd6pry2r37m.log")));

        var leaderboard = rows.Single(r => r.Id == "sim-7dlscz7fw4vl");
        Assert.Equal((CatalogLogType.Leaderboard, "Analysis-Demo", 975L, Leaderboard1Sha), (leaderboard.LogType, leaderboard.ModelName, leaderboard.Events, leaderboard.Sha256));

        var trainer = rows.Single(r => r.LogType == CatalogLogType.TrainingJob);
        Assert.Equal(("Analysis-Demo", false, 1114L, SagemakerSha, ConsolePrefix), (trainer.ModelName, trainer.Cloned, trainer.Events, trainer.Sha256, trainer.S3Prefix));
        Assert.Equal(111.3, trainer.TrainingJobDuration);

        var droaEval = rows.Single(r => r.Id == "sim-droaeval00001");
        Assert.Equal(("Progress-Test-B-1", "Spain_track", "Spain_track", DroaEvaluationSha), (droaEval.ModelName, droaEval.WorldName, droaEval.Track, droaEval.Sha256));
        // DROA: 11 actions, steering -25..25 in steps of 5, speeds 1, 1.25, 1.5, 2, 2.25, 2.5.
        Assert.Equal((25.0, 11, 2.5, 6), (droaEval.MaxSteeringAngle, droaEval.SteeringAngleGranularity, droaEval.MaxSpeed, droaEval.SpeedGranularity));
        Assert.Equal(3, droaEval.NTrials);
        Assert.Equal(CatalogLogType.SimulationJob, rows.Single(r => r.Id == "sim-droatrain0001").LogType);

        // The robomaker group has 4 streams and the server lists 2 per page: the client paginated.
        Assert.True(server.Operations.Count(o => o == "DescribeLogStreams") >= 2 + 1 + 1);
        Assert.Empty(catalog.Verify());
    }

    [Fact]
    public async Task Fetch_ThrottledAndFailing_RetriesAndCompletes()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server, withRobomaker: false, withLeaderboard: false);
        server.ThrottleNext(2);
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);
        using var client = await CloudWatchLogsClient.CreateAsync(CloudWatchSamples.Options(server));

        var first = await catalog.FetchAsync(client, new FetchRequest { Groups = [CloudWatchGroup.Sagemaker] });
        server.FailNext(2);
        var second = await catalog.FetchAsync(client, new FetchRequest { Groups = [CloudWatchGroup.Sagemaker], Force = true });

        Assert.Equal(2, server.Throttled);
        Assert.Equal(2, server.ServerErrors);
        Assert.Equal(4, client.Retries);
        Assert.Equal(CatalogOutcome.Fetched, Assert.Single(first).Outcome);
        Assert.Equal(CatalogOutcome.Fetched, Assert.Single(second).Outcome);
        Assert.Equal(SagemakerSha, Assert.Single(catalog.CloudWatch.Read().Rows).Sha256);
    }

    [Fact]
    public async Task Fetch_DroppedConnection_LeavesIncompleteState_AndNextFetchRepairsIt()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server, withSagemaker: false, withLeaderboard: false);
        // Page 2 of one stream always breaks off mid-body, more often than the client retries.
        server.DropWhen = (stream, page) => stream.StartsWith("sim-ggd6pry2r37m/", StringComparison.Ordinal) && page == 1;
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);
        var file = Path.Combine(dir.Path, "cloudwatch", "evaluation-sim-ggd6pry2r37m.log");

        var broken = await FetchAsync(server, catalog, new FetchRequest { Groups = [CloudWatchGroup.Robomaker] });

        Assert.Equal(CatalogOutcome.Failed, broken.Single(r => r.Key == "evaluation-sim-ggd6pry2r37m").Outcome);
        Assert.Equal(3, broken.Count(r => r.Outcome == CatalogOutcome.Fetched));
        Assert.True(server.Dropped >= 5);
        Assert.False(File.Exists(file));
        // The first page (300 of the 1045 lines) arrived and stays in the .partial.
        Assert.Equal(File.ReadLines(CloudWatchSamples.ConsoleEvaluation1).Take(300).Sum(l => l.Length + 1), new FileInfo(file + ".partial").Length);
        var row = catalog.CloudWatch.Read().Rows.Single(r => r.Id == "sim-ggd6pry2r37m");
        Assert.Equal(CatalogStatus.Incomplete, row.Status);
        Assert.StartsWith("download interrupted", row.StatusReason, StringComparison.Ordinal);
        var problem = Assert.Single(catalog.Verify());
        Assert.Equal("evaluation-sim-ggd6pry2r37m", problem.Key);

        server.DropWhen = null;
        var repaired = await FetchAsync(server, catalog, new FetchRequest { Groups = [CloudWatchGroup.Robomaker] });

        Assert.Equal(CatalogOutcome.Fetched, repaired.Single(r => r.Key == "evaluation-sim-ggd6pry2r37m").Outcome);
        Assert.Equal(3, repaired.Count(r => r.Outcome == CatalogOutcome.Skipped));
        Assert.False(File.Exists(file + ".partial"));
        Assert.Equal(Evaluation1Sha, Sha(file));
        Assert.Equal(CatalogStatus.Ok, catalog.CloudWatch.Read().Rows.Single(r => r.Id == "sim-ggd6pry2r37m").Status);
        Assert.Empty(catalog.Verify());
    }

    [Fact]
    public async Task Fetch_DroppedBeforeTheJobLine_RepairReplacesTheProvisionalRow()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server, withSagemaker: false, withLeaderboard: false);
        // The first page of the DROA evaluation (its job dictionary is line 253) never arrives: the log's type is not known yet.
        server.PageSize = 200;
        server.DropWhen = (stream, page) => stream.StartsWith("sim-droaeval00001/", StringComparison.Ordinal) && page == 0;
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);

        await FetchAsync(server, catalog, new FetchRequest { Ids = ["sim-droaeval00001"] });

        var provisional = Assert.Single(catalog.CloudWatch.Read().Rows);
        Assert.Equal(("simulation-job-sim-droaeval00001", CatalogStatus.Incomplete), (provisional.Key, provisional.Status));

        server.DropWhen = null;
        await FetchAsync(server, catalog, new FetchRequest { Ids = ["sim-droaeval00001"] });

        var repaired = Assert.Single(catalog.CloudWatch.Read().Rows);
        Assert.Equal(("evaluation-sim-droaeval00001", CatalogStatus.Ok, DroaEvaluationSha), (repaired.Key, repaired.Status, repaired.Sha256));
        Assert.Equal(["evaluation-sim-droaeval00001.log"], Directory.GetFiles(Path.Combine(dir.Path, "cloudwatch")).Select(Path.GetFileName));
        Assert.Empty(catalog.Verify());
    }

    [Fact]
    public async Task Fetch_ForcedRefetchFailsBeforeTheJobLine_KeepsTheCompleteLogAndItsType()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server, withSagemaker: false, withLeaderboard: false);
        server.PageSize = 200;
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);
        var file = Path.Combine(dir.Path, "cloudwatch", "evaluation-sim-droaeval00001.log");
        await FetchAsync(server, catalog, new FetchRequest { Ids = ["sim-droaeval00001"] });
        Assert.Equal(DroaEvaluationSha, Sha(file));

        // Forced again, and the first page (before the job dictionary on line 253) never arrives.
        server.DropWhen = (stream, page) => stream.StartsWith("sim-droaeval00001/", StringComparison.Ordinal) && page == 0;
        await FetchAsync(server, catalog, new FetchRequest { Ids = ["sim-droaeval00001"], Force = true });

        // The guess "simulation-job" neither replaces the evaluation row nor deletes the complete file.
        var row = Assert.Single(catalog.CloudWatch.Read().Rows);
        Assert.Equal(("evaluation-sim-droaeval00001", CatalogStatus.Incomplete), (row.Key, row.Status));
        Assert.Equal(DroaEvaluationSha, Sha(file));
    }

    [Fact]
    public async Task Fetch_FileChangedOnDisk_VerifyReportsIt_AndFetchRepairsIt()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server, withRobomaker: false, withSagemaker: false);
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);
        await FetchAsync(server, catalog);
        var file = Path.Combine(dir.Path, "cloudwatch", "leaderboard-sim-7dlscz7fw4vl.log");
        File.AppendAllText(file, "x");
        var stray = Path.Combine(dir.Path, "cloudwatch", "leaderboard-sim-unknown.log.partial");
        File.WriteAllText(stray, "half");

        var problems = catalog.Verify();

        Assert.Equal(["leaderboard-sim-7dlscz7fw4vl", "leaderboard-sim-unknown.log.partial"], problems.Select(p => p.Key));
        Assert.Contains("size 106113 bytes, the row says 106112", problems[0].Problem, StringComparison.Ordinal);

        var again = await FetchAsync(server, catalog);

        // The robomaker and sagemaker groups are not on this server: said once each.
        Assert.Equal<CatalogOutcome>([CatalogOutcome.Fetched, CatalogOutcome.Skipped, CatalogOutcome.NoGroup, CatalogOutcome.NoGroup], again.OrderBy(r => r.Outcome).Select(r => r.Outcome));
        Assert.Equal(Leaderboard1Sha, Sha(file));
    }

    [Fact]
    public async Task Fetch_TrainerFirst_ModelNameFilledWhenALaterFetchBringsTheMatch()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server);
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);

        await FetchAsync(server, catalog, new FetchRequest { Groups = [CloudWatchGroup.Sagemaker] });
        // The sagemaker log names no model.
        Assert.Null(Assert.Single(catalog.CloudWatch.Read().Rows).ModelName);

        await FetchAsync(server, catalog, new FetchRequest { Groups = [CloudWatchGroup.Robomaker], Ids = ["sim-ggd6pry2r37m"] });

        var rows = catalog.CloudWatch.Read().Rows;
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("Analysis-Demo", r.ModelName));
    }

    [Fact]
    public async Task Fetch_FromDate_OnlyNewerStreams()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server);
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);

        var results = await FetchAsync(server, catalog, new FetchRequest { Groups = LogCatalog.GroupsOf(LogOrigin.Console), From = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) });

        Assert.Equal(["evaluation-sim-droaeval00001", "simulation-job-sim-droatrain0001"], results.Select(r => r.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Fetch_WrongSecret_ServerRejectsSignature_OneLineError()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server);
        using var dir = new TempDir();

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => FetchAsync(server, LogCatalog.Open(dir.Path), secret: "not-the-secret"));

        Assert.True(server.SignatureFailures > 0);
        Assert.Contains("InvalidSignatureException", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task Fetch_FailedJobs_AreKeptAsInvalidWithTheReason()
    {
        using var server = new CloudWatchTestServer();
        var start = new DateTimeOffset(2022, 6, 11, 20, 0, 0, TimeSpan.Zero);
        // A trainer that stopped before its first "Training>" line (line 75 of the sample) ...
        server.AddStream(CloudWatchSamples.Sagemaker, "dr-sm-failed/algo-1-1", string.Join('\n', File.ReadLines(CloudWatchSamples.ConsoleSagemaker).Take(60)) + "\n", start);
        // ... and a robomaker stream without its header (the last 100 lines of an evaluation).
        server.AddStream(CloudWatchSamples.Robomaker, "sim-noheader0001/run/SimulationApplicationLogs", string.Join('\n', File.ReadLines(CloudWatchSamples.ConsoleEvaluation1).TakeLast(100)) + "\n", start);
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);

        await FetchAsync(server, catalog);

        var rows = catalog.CloudWatch.Read().Rows;
        var trainer = rows.Single(r => r.Id == "dr-sm-failed");
        Assert.Equal((CatalogStatus.Invalid, "job failed before first episode", 60L), (trainer.Status, trainer.StatusReason, trainer.Events));
        var noHeader = rows.Single(r => r.Id == "sim-noheader0001");
        Assert.Equal((CatalogStatus.Invalid, "no job description line", CatalogLogType.SimulationJob), (noHeader.Status, noHeader.StatusReason, noHeader.LogType));
        Assert.True(File.Exists(Path.Combine(dir.Path, "cloudwatch", "simulation-job-sim-noheader0001.log")));
        Assert.Empty(catalog.Verify());
    }

    [Fact]
    public async Task List_MergesBothDatabases_NewestFirst()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server, withRobomaker: false, withLeaderboard: false);
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);
        await catalog.ImportAsync([CloudWatchSamples.ConsoleEvaluation1]);
        await FetchAsync(server, catalog);

        // Local evaluation saved 2022-06-12 08:28:53; the trainer's last CloudWatch event 2022-06-11 20:59:51.3.
        Assert.Equal(
            [("local_training", "evaluation-IBZwYd0MRMqgwKlAe7bb0A"), ("cloudwatch", "training-job-dr-sm-rltj--20220611205309-2977ce21")],
            catalog.List().Select(e => (e.Database, e.Row.Key)));
    }

    private static string Sha(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }
}

public sealed class CloudWatchLogsClientTests
{
    [Fact]
    public async Task FilterLogEvents_ByStreamPrefixAndTimeWindow_Paginates()
    {
        using var server = new CloudWatchTestServer { PageSize = 50 };
        CloudWatchSamples.Load(server);
        using var client = await CloudWatchLogsClient.CreateAsync(CloudWatchSamples.Options(server));
        // Events are 100 ms apart from the stream's start: seconds 10.0 to 29.9 hold events 100..299 (200 lines).
        var start = CloudWatchSamples.Evaluation1Start.AddSeconds(10);
        var end = CloudWatchSamples.Evaluation1Start.AddMilliseconds(29_900);

        var events = new List<(string Stream, LogEvent Event)>();
        var pages = 0;
        await foreach (var page in client.FilterLogEventsAsync(CloudWatchSamples.Robomaker, "sim-ggd6pry2r37m", start, end))
        {
            events.AddRange(page);
            pages++;
        }

        Assert.Equal(4, pages);
        Assert.Equal(File.ReadLines(CloudWatchSamples.ConsoleEvaluation1).Skip(100).Take(200), events.Select(e => e.Event.Message));
        Assert.All(events, e => Assert.StartsWith("sim-ggd6pry2r37m/", e.Stream, StringComparison.Ordinal));
        Assert.Equal(0, server.SignatureFailures);
    }

    [Fact]
    public async Task MissingGroup_ListsNoStreams()
    {
        using var server = new CloudWatchTestServer();
        using var client = await CloudWatchLogsClient.CreateAsync(CloudWatchSamples.Options(server));

        Assert.Empty(await client.DescribeLogStreamsAsync("/aws/robomaker/SimulationJobs"));
    }
}
