using DeepRacer.Analysis.Catalog;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Catalog;

/// <summary>
/// The log groups of today's DeepRacer on the CloudWatch test server, named as the DROA source names them
/// (workflow/constants/simulation.ts, jobFinalizer.ts: streams start with the job name) and as DRfC's awslogs driver does
/// (docker-compose-cwlog.yml: group /deepracer-for-cloud, stream = prefix + container name).
/// </summary>
/// <remarks>
/// The samples hold no DROA trainer log and no DRfC container log: the console sagemaker log stands in for the trainers and a
/// console evaluation log for a DRfC robomaker container (their content is what DRfC's containers print).
/// </remarks>
public static class CloudWatchTodaySamples
{
    public const string DroaTraining = "/aws/deepracer/training/TrainingJobs";
    public const string DroaSimulation = "/aws/deepracer/training/SimulationJobs";
    public const string Drfc = "/deepracer-for-cloud";
    public const string TrainingJob = "deepracerindy-training-ACGVRmRuFNU9NkQ";
    public const string EvaluationJob = "deepracerindy-evaluation-9oJ3QbS0SYm7Iag";
    public const string SubmissionJob = "deepracerindy-submission-Sub1AAAAAAAAAA";
    public const string DrfcRobomaker = "deepracer-0_robomaker.1.k3j9x2";
    public const string DrfcCoach = "deepracer-0_rl_coach.1.p2m8z5";

    public static string Submission1Log => TestSupport.Fixture(
        "droa-model/ACGVRmRuFNU9NkQ/logs/submission/2026-03-09T10:07:30.500Z-deepracerindy-submission-Sub1AAAAAAAAAA-simulation.log");

    public static void LoadDroa(CloudWatchTestServer server)
    {
        server.AddStream(DroaSimulation, TrainingJob, File.ReadAllText(CloudWatchSamples.DroaTraining), CloudWatchSamples.DroaTrainingStart);
        server.AddStream(DroaTraining, $"{TrainingJob}/algo-1-1772821900", File.ReadAllText(CloudWatchSamples.ConsoleSagemaker), CloudWatchSamples.DroaTrainingStart);
        server.AddStream(CloudWatchSamples.Sagemaker, $"{EvaluationJob}/algo-1-1772906000", File.ReadAllText(CloudWatchSamples.DroaEvaluation), CloudWatchSamples.DroaEvaluationStart);
        server.AddStream(CloudWatchSamples.Sagemaker, $"{SubmissionJob}/algo-1-1773050000", File.ReadAllText(Submission1Log), new DateTimeOffset(2026, 3, 9, 10, 1, 0, TimeSpan.Zero));
    }

    public static void LoadDrfc(CloudWatchTestServer server)
    {
        server.AddStream(Drfc, DrfcRobomaker, File.ReadAllText(CloudWatchSamples.ConsoleEvaluation1), CloudWatchSamples.Evaluation1Start);
        server.AddStream(Drfc, DrfcCoach, File.ReadAllText(CloudWatchSamples.ConsoleSagemaker), CloudWatchSamples.SagemakerStart);
    }
}

public sealed class CloudWatchTodayTests
{
    private static async Task<IReadOnlyList<CatalogItemResult>> FetchAsync(CloudWatchTestServer server, LogCatalog catalog, FetchRequest request)
    {
        using var client = await CloudWatchLogsClient.CreateAsync(CloudWatchSamples.Options(server));
        return await catalog.FetchAsync(client, request);
    }

    [Fact]
    public async Task Fetch_Droa_ClassifiesByJobNameAndGroup_SubmissionsAreLeaderboard()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchTodaySamples.LoadDroa(server);
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);

        var results = await FetchAsync(server, catalog, new FetchRequest { Groups = LogCatalog.GroupsOf(LogOrigin.Droa) });

        Assert.All(results, r => Assert.Equal(CatalogOutcome.Fetched, r.Outcome));
        var rows = catalog.CloudWatch.Read().Rows.ToDictionary(r => r.Key);
        // The trainer and the simulation of one training share the job name: two logs, two rows.
        Assert.Equal(
            [
                $"evaluation-{CloudWatchTodaySamples.EvaluationJob}", $"leaderboard-{CloudWatchTodaySamples.SubmissionJob}",
                $"simulation-job-{CloudWatchTodaySamples.TrainingJob}", $"training-job-{CloudWatchTodaySamples.TrainingJob}",
            ],
            rows.Keys.Order(StringComparer.Ordinal));
        var submission = rows[$"leaderboard-{CloudWatchTodaySamples.SubmissionJob}"];
        Assert.Equal(("Progress-Test-B-1", "Spain_track", CatalogStatus.Ok), (submission.ModelName, submission.WorldName, submission.Status));
        Assert.Equal(File.ReadAllLines(CloudWatchTodaySamples.Submission1Log).Length, submission.Events);
        Assert.Equal(new FileInfo(CloudWatchTodaySamples.Submission1Log).Length, submission.Bytes);
        Assert.Equal("Progress-Test-B-1", rows[$"evaluation-{CloudWatchTodaySamples.EvaluationJob}"].ModelName);

        // Episodes of the submission, opened by its catalog id: the fixture's 60 steps of trial 1 (progress 14.4112).
        var entry = catalog.Find(CloudWatchTodaySamples.SubmissionJob)!;
        using var log = await DeepRacerLog.OpenAsync(entry.FilePath);
        var episodes = EpisodeTable.Aggregate(await log.LoadAsync(StepTableKind.Leaderboard));
        Assert.Equal([60], episodes.Steps.ToArray());
        Assert.Equal(14.4112, episodes.Progress[0], 9);

        // Fetched again: nothing new, and the shared job name does not make one log replace the other.
        var again = await FetchAsync(server, catalog, new FetchRequest { Groups = LogCatalog.GroupsOf(LogOrigin.Droa) });
        Assert.All(again, r => Assert.Equal(CatalogOutcome.Skipped, r.Outcome));
        Assert.Equal(4, catalog.CloudWatch.Read().Rows.Count);
    }

    [Fact]
    public async Task Fetch_Drfc_OneLogPerContainerStream()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchTodaySamples.LoadDrfc(server);
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);

        await FetchAsync(server, catalog, new FetchRequest { Groups = LogCatalog.GroupsOf(LogOrigin.Drfc) });

        var rows = catalog.CloudWatch.Read().Rows;
        Assert.Equal(
            [$"evaluation-{CloudWatchTodaySamples.DrfcRobomaker}", $"training-job-{CloudWatchTodaySamples.DrfcCoach}"],
            rows.Select(r => r.Key).Order(StringComparer.Ordinal));
        var robomaker = rows.Single(r => r.Id == CloudWatchTodaySamples.DrfcRobomaker);
        Assert.Equal((1045L, 112947L, "reinvent_base"), (robomaker.Events!.Value, robomaker.Bytes!.Value, robomaker.WorldName));

        // Listed, and its episodes by catalog id: the sample evaluation's 3 trials, 737 steps (grep -c SIM_TRACE_LOG).
        Assert.Equal(2, catalog.List().Count);
        using var log = await DeepRacerLog.OpenAsync(catalog.Find(CloudWatchTodaySamples.DrfcRobomaker)!.FilePath);
        var steps = await log.LoadAsync(StepTableKind.Evaluation);
        Assert.Equal((737, 3), (steps.RowCount, EpisodeTable.Aggregate(steps).RowCount));
    }

    [Fact]
    public async Task Fetch_AllGroups_MissingGroupsAreSaid_NoneExistingIsAnError()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchTodaySamples.LoadDrfc(server);
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);

        var results = await FetchAsync(server, catalog, new FetchRequest());

        Assert.Equal(
            ["/aws/deepracer/leaderboard/SimulationJobs", "/aws/deepracer/training/SimulationJobs", "/aws/deepracer/training/TrainingJobs", "/aws/robomaker/SimulationJobs", "/aws/sagemaker/TrainingJobs"],
            results.Where(r => r.Outcome == CatalogOutcome.NoGroup).Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.All(results.Where(r => r.Outcome == CatalogOutcome.NoGroup), r => Assert.Equal("no such log group in us-east-1", r.Message));
        Assert.Equal(2, results.Count(r => r.Outcome == CatalogOutcome.Fetched));

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => FetchAsync(server, catalog, new FetchRequest { Groups = LogCatalog.GroupsOf(LogOrigin.Droa) }));
        Assert.Equal(
            "None of the log groups /aws/deepracer/training/TrainingJobs, /aws/deepracer/training/SimulationJobs, /aws/sagemaker/TrainingJobs exists in us-east-1 for these credentials: check the region and the account.",
            e.Message);
    }

    [Theory]
    [InlineData("deepracerindy-submission-abc123-live-a3b7c9d2", null, CatalogLogType.Leaderboard)]
    [InlineData("deepracerindy-evaluation-abc123", null, CatalogLogType.Evaluation)]
    [InlineData("deepracerindy-training-abc123", CloudWatchGroup.DroaTraining, CatalogLogType.TrainingJob)]
    [InlineData("deepracerindy-training-abc123", CloudWatchGroup.DroaSimulation, CatalogLogType.SimulationJob)]
    [InlineData("deepracerindy-training-abc123", null, null)]
    [InlineData("sim-ggd6pry2r37m", CloudWatchGroup.Robomaker, null)]
    public void DroaJobType_FromTheJobNameAndGroup(string job, CloudWatchGroup? group, string? expected) =>
        Assert.Equal(expected, LogCatalog.DroaJobType(job, group));

    [Theory]
    [InlineData("{\"__type\":\"com.amazon.coral.service#InvalidClientTokenId\",\"message\":\"The security token included in the request is invalid.\"}",
        "InvalidClientTokenId", "The security token included in the request is invalid.")]
    [InlineData("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>" +
        "<Message>The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.</Message></Error></ErrorResponse>",
        "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")]
    [InlineData("<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::1:user/x is not authorized to perform: logs:DescribeLogStreams &amp; more</Message></Error>",
        "AccessDenied", "User: arn:aws:iam::1:user/x is not authorized to perform: logs:DescribeLogStreams & more")]
    public void ErrorOf_JsonAndXmlBodies_CodeAndMessage(string body, string code, string message) =>
        Assert.Equal((code, message), CloudWatchLogsClient.ErrorOf(body));

    [Fact]
    public void ErrorOf_LongPlainBody_ShortenedAtAWord()
    {
        var body = string.Join(' ', Enumerable.Repeat("gateway-timeout-while-contacting-upstream", 10)) + "\n<html>";

        var (code, message) = CloudWatchLogsClient.ErrorOf(body);

        Assert.Equal("Error", code);
        // Three 41-character words and their spaces take 125 characters; a fourth would pass 160.
        Assert.Equal(string.Join(' ', Enumerable.Repeat("gateway-timeout-while-contacting-upstream", 3)) + "…", message);
    }
}
