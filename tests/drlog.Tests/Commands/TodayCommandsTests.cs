using System.Diagnostics;
using System.Net;
using System.Text;
using DeepRacer.Analysis.Tests.Catalog;
using Spectre.Console.Testing;

namespace DrLog.Tests.Commands;

/// <summary>
/// Today's DeepRacer in the CLI: DROA and DRfC groups, standard-input import through a real pipe, race results, and the
/// catalog's error paths (message and exit code each).
/// </summary>
public sealed class TodayCommandsTests : IDisposable
{
    private const string Profile = TestProfile.Name;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "drlog-today-" + Guid.NewGuid().ToString("N"));

    private static string DroaModel => Path.Combine(CliRunner.Root, "tests", "DeepRacer.Analysis.Tests", "Fixtures", "droa-model", "ACGVRmRuFNU9NkQ");

    private static string ConsoleLeaderboard => CliRunner.Sample("sample-console-logs/logs/leaderboard/leaderboard-20220703172842-wDhqXQC-SkGOinLUdZCQZQ-robomaker.log");

    static TodayCommandsTests() => TestProfile.Install();

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string[] Fetch(CloudWatchTestServer server, params string[] more) =>
        ["logs", "fetch", "--root", _root, "--endpoint-url", server.Url, "--region", "us-east-1", "--profile", Profile, "--max-retries", "1", .. more];

    [Fact]
    public async Task FetchSourceDroa_ListsTrainingEvaluationAndLeaderboard_EpisodesByCatalogId()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchTodaySamples.LoadDroa(server);

        var (exit, stdout, stderr) = await CliRunner.RunAsync(Fetch(server, "--source", "droa"));

        Assert.Equal(0, exit);
        Assert.Equal("drlog: 4 fetched, 0 already complete, 0 failed.", stderr.Trim());
        Assert.Equal(4, stdout.Split('\n').Count(l => l.StartsWith("fetched", StringComparison.Ordinal)));
        (exit, stdout, _) = await CliRunner.RunAsync("logs", "list", "--root", _root, "--format", "csv");
        Assert.Equal(0, exit);
        var types = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[1] + " " + f[0], f => f[2]);
        Assert.Equal("Progress-Test-B-1", types[$"leaderboard {CloudWatchTodaySamples.SubmissionJob}"]);
        Assert.Equal("Progress-Test-B-1", types[$"evaluation {CloudWatchTodaySamples.EvaluationJob}"]);
        Assert.Contains($"training-job {CloudWatchTodaySamples.TrainingJob}", types.Keys);
        Assert.Contains($"simulation-job {CloudWatchTodaySamples.TrainingJob}", types.Keys);

        (exit, stdout, _) = await CliRunner.RunAsync("episodes", CloudWatchTodaySamples.SubmissionJob, "--leaderboard", "--catalog", _root, "-f", "csv");
        Assert.Equal(0, exit);
        var row = stdout.Split('\n')[1].Split(',');
        Assert.Equal(("1", "60", "14.4112"), (row[1], row[2], row[4]));
    }

    [Fact]
    public async Task FetchSourceDrfc_MissingGroup_OneLineWithGroupAndRegion_Exit1()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchTodaySamples.LoadDroa(server);

        var (exit, _, stderr) = await CliRunner.RunAsync(Fetch(server, "--source", "drfc"));

        Assert.Equal(1, exit);
        Assert.Equal("drlog: Log group /deepracer-for-cloud does not exist in us-east-1 for these credentials: check the region and the account.", stderr.Trim());
    }

    [Fact]
    public async Task FetchAll_SomeGroupsMissing_SaidPerGroup_Exit0()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchTodaySamples.LoadDrfc(server);

        var (exit, stdout, stderr) = await CliRunner.RunAsync(Fetch(server));

        Assert.Equal(0, exit);
        Assert.Contains("no-group  /aws/robomaker/SimulationJobs  -  no such log group in us-east-1", stdout.Split('\n').Select(l => l.TrimEnd()));
        Assert.Equal(5, stdout.Split('\n').Count(l => l.StartsWith("no-group", StringComparison.Ordinal)));
        Assert.Equal("drlog: 2 fetched, 0 already complete, 0 failed.", stderr.Trim());
    }

    [Theory]
    [InlineData("<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error></ErrorResponse>",
        "403 SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided.")]
    [InlineData("{\"__type\":\"InvalidClientTokenId\",\"message\":\"The security token included in the request is invalid\"}",
        "403 InvalidClientTokenId: The security token included in the request is invalid.")]
    [InlineData("<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>X</RequestId></Error>", "403 AccessDenied: Access Denied.")]
    public async Task Fetch_HttpErrorBody_CodeAndShortMessageOnOneLine_Exit1(string body, string expected)
    {
        using var server = new FixedResponseServer(403, body);

        var (exit, _, stderr) = await CliRunner.RunAsync("logs", "fetch", "--root", _root, "--endpoint-url", server.Url, "--region", "us-east-1", "--profile", Profile, "--group", "robomaker");

        Assert.Equal(1, exit);
        Assert.Equal($"drlog: CloudWatch Logs DescribeLogStreams failed at {server.Url}: {expected} Check the credentials, the region and the endpoint.", stderr.Trim());
    }

    [Fact]
    public async Task ImportStdin_RealPipe_WithAndWithoutName()
    {
        var drlog = typeof(Cli).Assembly.Location;
        var (exit, stdout, stderr) = await ShellAsync($"cat '{ConsoleLeaderboard}' | dotnet '{drlog}' logs import - --root '{_root}' --name leaderboard-20220703172842-wDhqXQC-SkGOinLUdZCQZQ-robomaker.log");
        Assert.True(exit == 0, stderr);
        Assert.Equal("imported  leaderboard-wDhqXQC-SkGOinLUdZCQZQ  ok", stdout.Trim());
        Assert.Equal("drlog: 1 imported, 0 already complete, 0 failed.", stderr.Trim());

        // As from 'docker logs robomaker 2>&1 |': no name, so the id is stdin plus the hash of the log's head; the content types it.
        (exit, stdout, _) = await ShellAsync($"cat '{ConsoleLeaderboard}' | dotnet '{drlog}' logs import - --root '{_root}'");
        Assert.Equal(0, exit);
        Assert.Matches("^imported  leaderboard-stdin-[0-9a-f]{8}  ok$", stdout.Trim());

        (exit, stdout, _) = await CliRunner.RunAsync("logs", "list", "--root", _root, "--format", "csv");
        Assert.Equal(3, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.All(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1), l => Assert.Contains(",leaderboard,", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_NameWithoutStdin_IsAUsageError()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("logs", "import", ConsoleLeaderboard, "--root", _root, "--name", "x.log");

        Assert.Equal(2, exit);
        Assert.Equal("drlog: --name names the log read from standard input (PATH -); files keep their own names.", stderr.Trim());
    }

    [Theory]
    [InlineData("show", "nosuch")]
    [InlineData("delete", "nosuch")]
    [InlineData("import", "/nonexistent/drlog-test.log")]
    [InlineData("fetch", "--endpoint-url", "http://127.0.0.1:9/", "--region", "us-east-1", "--max-retries", "0", "--profile", Profile)]
    public async Task EveryLogsSubcommand_VerboseAddsDetails(params string[] args)
    {
        string[] command = ["logs", args[0], "--root", _root, .. args[1..]];

        var (exit, _, quiet) = await CliRunner.RunAsync(command);
        var (verboseExit, _, verbose) = await CliRunner.RunAsync([.. command, "-v"]);

        Assert.Equal((1, 1), (exit, verboseExit));
        Assert.Single(quiet.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("drlog: ", quiet, StringComparison.Ordinal);
        Assert.StartsWith(quiet.Trim(), verbose, StringComparison.Ordinal);
        Assert.Contains("   at ", verbose, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("verify")]
    public async Task ListAndVerify_AcceptVerbose(string subcommand)
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("logs", subcommand, "--root", _root, "--verbose");

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task CatalogOption_EmptyFolder_SaysSo_Exit1()
    {
        Directory.CreateDirectory(_root);

        var (exit, _, stderr) = await CliRunner.RunAsync("episodes", "sim-nosuch", "--catalog", _root);

        Assert.Equal(1, exit);
        Assert.Equal($"drlog: --catalog {_root} holds no log catalog (no db/*.csv): give the folder 'drlog logs fetch/import --root' wrote to.", stderr.Trim());
    }

    [Fact]
    public async Task Delete_AsksThroughTheConsole_NoKeepsTheRow_YesDeletes()
    {
        await CliRunner.RunAsync("logs", "import", ConsoleLeaderboard, "--root", _root);
        string[] delete = ["logs", "delete", "wDhqXQC-SkGOinLUdZCQZQ", "--root", _root];

        var no = new TestConsole().Interactive();
        no.Input.PushTextWithEnter("n");
        var (exit, stdout, stderr) = await RunWithConsoleAsync(no, delete);
        Assert.Equal((0, ""), (exit, stdout));
        Assert.Equal("drlog: nothing deleted.", stderr.Trim());
        Assert.Contains("Delete 1 log(s) (leaderboard-wDhqXQC-SkGOinLUdZCQZQ)?", no.Output, StringComparison.Ordinal);

        var yes = new TestConsole().Interactive();
        yes.Input.PushTextWithEnter("y");
        (exit, stdout, _) = await RunWithConsoleAsync(yes, delete);
        Assert.Equal((0, "deleted  leaderboard-wDhqXQC-SkGOinLUdZCQZQ"), (exit, stdout.Trim()));
        (_, stdout, _) = await CliRunner.RunAsync("logs", "list", "--root", _root, "--format", "csv");
        Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task MetricsRace_AverageOverThreeLaps_RanksQualifiedEntries()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("metrics", DroaModel, "--race", "--min-laps", "3", "--timing", "avg", "-f", "csv");

        Assert.True(exit == 0, stderr);
        // Worked by hand from the fixture's metrics files (see RaceResultTests): floor(87769 / 3) = 29256, floor(83500 / 3) = 27833.
        Assert.Equal(
            [
                "job,job_type,trials,completed_laps,min_laps,qualified,best_lap,avg_lap,total_time,resets,avg_resets,off_track,collisions,best_lap_off_track,avg_lap_off_track,score,rank",
                "deepracerindy-evaluation-9oJ3QbS0SYm7Iag,evaluation,3,3,3,true,28.312,29.256,87.769,1,0.3333333333333333,1,0,0,1,29.256,2",
                "deepracerindy-submission-Sub1AAAAAAAAAA,submission,6,3,3,true,12,27.833,154.5,1,0.16666666666666666,2,1,1,0,27.833,1",
                "deepracerindy-submission-Sub2BBBBBBBBBB,submission,3,1,3,false,9,,70,2,0.6666666666666666,3,0,2,0,,",
            ],
            stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task MetricsRace_MinLapsZero_IsAUsageError()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("metrics", DroaModel, "--race", "--min-laps", "0");

        Assert.Equal(2, exit);
        Assert.StartsWith("drlog: --min-laps must be 1 or more.", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Out, string Err)> RunWithConsoleAsync(TestConsole console, string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Cli.RunAsync(args, stdout, stderr, console);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static async Task<(int Exit, string Out, string Err)> ShellAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Answers every request with one status and body, as a gateway or another CloudWatch implementation may.</summary>
    private sealed class FixedResponseServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public FixedResponseServer(int status, string body)
        {
            Url = CloudWatchTestServer.ListenOnFreePort(_listener);
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }

                    var bytes = Encoding.UTF8.GetBytes(body);
                    context.Response.StatusCode = status;
                    context.Response.ContentType = body.StartsWith('<') ? "text/xml" : "application/x-amz-json-1.1";
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
