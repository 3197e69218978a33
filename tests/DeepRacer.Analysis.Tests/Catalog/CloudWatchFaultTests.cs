using System.Security.Cryptography;
using DeepRacer.Analysis.Catalog;
using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Tests.Catalog;

/// <summary>
/// Broken transfers from the CloudWatch test server (CloudWatchTestServer.Faults.cs) through the real client and the
/// catalog: each ends in one result line naming the log and saying what to do, and never in a file that looks whole.
/// Expected hashes: sha256sum of the sample log (and of the sample with the appended lines, printf ... | sha256sum).
/// </summary>
public sealed class CloudWatchFaultTests
{
    private const string Evaluation1Sha = "dd34dbe8ebbbc5990bfdec1db7475cdd5738859fc880c78c19d07bd7baf6881e";
    private const string Evaluation1 = "evaluation-sim-ggd6pry2r37m";
    private const string StreamPrefix = "sim-ggd6pry2r37m/";

    private static async Task<CatalogItemResult> FetchOneAsync(CloudWatchTestServer server, LogCatalog catalog, CloudWatchOptions? options = null)
    {
        using var client = await CloudWatchLogsClient.CreateAsync(options ?? CloudWatchSamples.Options(server));
        var results = await catalog.FetchAsync(client, new FetchRequest { Groups = [CloudWatchGroup.Robomaker], Ids = ["sim-ggd6pry2r37m"] });
        return Assert.Single(results);
    }

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    // Only the download in progress, never a file under the final name.
    private static void AssertOnlyThePartial(string folder) =>
        Assert.Equal([Evaluation1 + ".log.partial"], Directory.GetFiles(Path.Combine(folder, "cloudwatch")).Select(Path.GetFileName));

    [Fact]
    public async Task BodyCutMidStream_OneLineNamingTheLogAndWhatToDo_NoWholeLookingFile()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server, withSagemaker: false, withLeaderboard: false);
        server.DropWhen = (stream, page) => stream.StartsWith(StreamPrefix, StringComparison.Ordinal) && page == 2;
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);

        var result = await FetchOneAsync(server, catalog, CloudWatchSamples.Options(server) with { MaxRetries = 1 });

        Assert.Equal((Evaluation1, CatalogOutcome.Failed, CatalogStatus.Incomplete), (result.Key, result.Outcome, result.Status));
        Assert.Equal(2, server.Dropped);
        var message = Assert.IsType<string>(result.Message);
        Assert.StartsWith($"CloudWatch Logs GetLogEvents at {server.Url.TrimEnd('/')}", message, StringComparison.Ordinal);
        Assert.EndsWith("still failing after 2 attempts", message[..message.IndexOf(" (", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.EndsWith("); run the fetch again later: the logs not yet complete are downloaded again.", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
        AssertOnlyThePartial(dir.Path);
        // Pages 0 and 1 (600 of the 1045 lines) arrived and stay in the .partial.
        Assert.Equal(File.ReadLines(CloudWatchSamples.ConsoleEvaluation1).Take(600).Sum(l => l.Length + 1), new FileInfo(Path.Combine(dir.Path, "cloudwatch", Evaluation1 + ".log.partial")).Length);
    }

    [Fact]
    public async Task SlowBody_TheLogArrivesWhole()
    {
        using var server = new CloudWatchTestServer { SlowDelay = TimeSpan.FromMilliseconds(10) };
        CloudWatchSamples.Load(server, withSagemaker: false, withLeaderboard: false);
        server.SlowWhen = (stream, _) => stream.StartsWith(StreamPrefix, StringComparison.Ordinal);
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);

        var result = await FetchOneAsync(server, catalog);

        Assert.Equal((Evaluation1, CatalogOutcome.Fetched, CatalogStatus.Ok), (result.Key, result.Outcome, result.Status));
        // 1045 events, 300 a page: four pages, then the empty one that ends the stream, each sent slowly.
        Assert.Equal(5, server.Slowed);
        Assert.Equal(Evaluation1Sha, Sha(Path.Combine(dir.Path, "cloudwatch", Evaluation1 + ".log")));
        Assert.Equal(1045, Assert.Single(catalog.CloudWatch.Read().Rows).Events);
    }

    [Fact]
    public async Task BodySlowerThanTheTimeout_OneLineNamingTheLog_NoWholeLookingFile()
    {
        using var server = new CloudWatchTestServer { SlowDelay = TimeSpan.FromMilliseconds(100) };
        CloudWatchSamples.Load(server, withSagemaker: false, withLeaderboard: false);
        server.SlowWhen = (stream, page) => stream.StartsWith(StreamPrefix, StringComparison.Ordinal) && page == 1;
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);

        var result = await FetchOneAsync(server, catalog, CloudWatchSamples.Options(server) with { MaxRetries = 1, Timeout = TimeSpan.FromSeconds(1) });

        Assert.Equal((Evaluation1, CatalogOutcome.Failed, CatalogStatus.Incomplete), (result.Key, result.Outcome, result.Status));
        Assert.Contains("still failing after 2 attempts (The request was canceled due to the configured HttpClient.Timeout of 1 seconds elapsing.)", result.Message, StringComparison.Ordinal);
        Assert.EndsWith("run the fetch again later: the logs not yet complete are downloaded again.", result.Message, StringComparison.Ordinal);
        AssertOnlyThePartial(dir.Path);
        var row = Assert.Single(catalog.CloudWatch.Read().Rows);
        Assert.Equal("download interrupted: " + result.Message, row.StatusReason);
        Assert.Null(row.Sha256);
    }

    [Fact]
    public async Task StreamGrewBetweenListingAndReading_TheFileHoldsWhatWasRead_TheNextFetchSkipsIt()
    {
        using var server = new CloudWatchTestServer();
        CloudWatchSamples.Load(server, withSagemaker: false, withLeaderboard: false);
        server.GrowAfterListing(StreamPrefix, "appended while listing 1\nappended while listing 2\n");
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);

        var result = await FetchOneAsync(server, catalog);

        Assert.Equal((Evaluation1, CatalogOutcome.Fetched, CatalogStatus.Ok), (result.Key, result.Outcome, result.Status));
        var file = Path.Combine(dir.Path, "cloudwatch", Evaluation1 + ".log");
        var expected = File.ReadAllText(CloudWatchSamples.ConsoleEvaluation1) + "appended while listing 1\nappended while listing 2\n";
        Assert.Equal(expected, File.ReadAllText(file));
        var row = Assert.Single(catalog.CloudWatch.Read().Rows);
        Assert.Equal("94851bc93bfe79413bc5c469d200e369a127e82f0af3439038e69089086aac69", row.Sha256);
        Assert.Equal(1047, row.Events);
        // The last sample event is at +104.4 s; the two appended ones follow 100 ms apart.
        Assert.Equal(CloudWatchSamples.Evaluation1Start.AddMilliseconds(104_600), row.LastEventTimestamp);

        var again = await FetchOneAsync(server, catalog);

        Assert.Equal((CatalogOutcome.Skipped, "already complete"), (again.Outcome, again.Message));
        Assert.Empty(catalog.Verify());
    }
}
