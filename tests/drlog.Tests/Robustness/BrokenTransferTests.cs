using DeepRacer.Analysis.Tests.Catalog;
using DeepRacer.Analysis.Tests.Sources;
using DrLog.Tests.Commands;

namespace DrLog.Tests.Robustness;

/// <summary>The S3 test server, shared by the CLI tests that read from S3.</summary>
[CollectionDefinition(S3ServerCollection.Name)]
public sealed class S3ServerCollectionDefinition : ICollectionFixture<S3ServerFixture>
{
}

/// <summary>
/// A transfer that breaks while drlog writes an output file: exit 1, one line naming the object and what to do, and no
/// file that looks whole (a report is written to a temp file and renamed; a log download stays a <c>.partial</c>).
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class BrokenTransferTests : IDisposable
{
    private readonly S3ServerFixture _server;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "drlog-broken-" + Guid.NewGuid().ToString("N"));

    static BrokenTransferTests() => TestProfile.Install();

    public BrokenTransferTests(S3ServerFixture server)
    {
        _server = server;
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Report_S3BodyCutDuringTheLoad_OneLine_NoReportFile()
    {
        var uri = await _server.UploadSampleAsync("sample-drfc-1-logs");
        using var proxy = new FaultProxy(_server.EndpointUrl)
        {
            FaultFor = (method, path) => method == "GET" && path.Contains("/training-simtrace/", StringComparison.Ordinal) ? ProxyFault.Cut : ProxyFault.None,
        };
        var output = Path.Combine(_root, "report.html");

        var (exit, _, stderr) = await CliRunner.RunAsync("report", uri, "-o", output, "--endpoint-url", proxy.Url, "--profile", TestProfile.S3Name);

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"drlog: {uri}/training-simtrace/", line, StringComparison.Ordinal);
        Assert.Contains(": download broke off at ", line, StringComparison.Ordinal);
        Assert.EndsWith("; run again.", line, StringComparison.Ordinal);
        Assert.True(proxy.Faulted > 0);
        // Neither the report nor its temp file.
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public async Task LogsFetch_CloudWatchBodyCut_OneFailedLine_OnlyThePartialFile()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server, withRobomaker: false, withLeaderboard: false);
        server.DropWhen = (_, page) => page == 1;

        var (exit, stdout, stderr) = await CliRunner.RunAsync("logs", "fetch", "--group", "sagemaker", "--root", _root, "--endpoint-url", server.Url,
            "--region", "us-east-1", "--profile", TestProfile.Name, "--max-retries", "1");

        Assert.Equal(1, exit);
        var failed = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("failed    training-job-dr-sm-rltj--20220611205309-2977ce21  incomplete  CloudWatch Logs GetLogEvents at ", failed, StringComparison.Ordinal);
        Assert.EndsWith("run the fetch again later: the logs not yet complete are downloaded again.", failed, StringComparison.Ordinal);
        Assert.Equal(
            "drlog: 0 fetched, 0 already complete, 1 failed: the failed logs are marked incomplete (what arrived is kept as .partial); run the same command again to repair them.",
            stderr.Trim());
        Assert.Equal(["training-job-dr-sm-rltj--20220611205309-2977ce21.log.partial"], Directory.GetFiles(Path.Combine(_root, "cloudwatch")).Select(Path.GetFileName));
    }
}
