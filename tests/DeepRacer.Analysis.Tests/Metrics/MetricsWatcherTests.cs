using System.Text.Json.Nodes;
using Amazon.S3.Model;
using DeepRacer.Analysis.Metrics;
using DeepRacer.Analysis.Tests.Sources;

namespace DeepRacer.Analysis.Tests.Metrics;

/// <summary>Metrics from a real S3 server (s3rver) and the live watcher.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class MetricsWatcherTests
{
    private readonly S3ServerFixture _server;

    public MetricsWatcherTests(S3ServerFixture server) => _server = server;

    private static string Drfc1Json => File.ReadAllText(Path.Combine(TestSupport.Sample("sample-drfc-1-logs"), "metrics", "TrainingMetrics.json"));

    /// <summary>The first 100 elements of drfc-1's metrics: episodes up to 89 with E = 20, so iterations 0..4 (python3).</summary>
    private static string ShortJson()
    {
        var root = JsonNode.Parse(Drfc1Json)!.AsObject();
        var metrics = root["metrics"]!.AsArray();
        while (metrics.Count > 100)
        {
            metrics.RemoveAt(metrics.Count - 1);
        }

        return root.ToJsonString();
    }

    [Theory]
    [InlineData("sample-console-logs")]
    [InlineData("sample-drfc-3-logs")]
    public async Task LoadAsync_S3_EqualsFolder(string sample)
    {
        var uri = await _server.UploadSampleAsync(sample);

        var local = await TrainingMetrics.LoadAsync(TestSupport.Sample(sample));
        var remote = await TrainingMetrics.LoadAsync(uri, _server.Options);

        Assert.True(local.Rows.Count > 700);
        Assert.Equal(local.Rows, remote.Rows);
        Assert.Equal(local.Sources.Count, remote.Sources.Count);
    }

    [Fact]
    public async Task LoadAsync_S3SingleObject_IsThatWorkerFile()
    {
        var uri = await _server.UploadSampleAsync("sample-drfc-3-logs");

        var metrics = await TrainingMetrics.LoadAsync(uri + "/metrics/TrainingMetrics.json", _server.Options);

        // TrainingMetrics.json alone: worker 0's 298 elements.
        Assert.Equal(298, metrics.Rows.Count);
        Assert.Equal([0], metrics.Workers);
    }

    [Fact]
    public async Task LoadAsync_S3MissingPrefix_SaysNoFiles()
    {
        await _server.CreateBucketAsync("samples");

        var e = await Assert.ThrowsAnyAsync<DeepRacerLogException>(() => TrainingMetrics.LoadAsync("s3://samples/no-such-model", _server.Options));

        Assert.Equal("s3://samples/no-such-model has no files: check the path or S3 prefix (a DRfC model prefix holds metrics/TrainingMetrics.json).", e.Message);
    }

    [Fact]
    public async Task PollAsync_S3_GrowingFileWithTruncatedUploadInBetween()
    {
        const string bucket = "watch";
        var prefix = "model-" + Guid.NewGuid().ToString("N")[..8];
        var key = prefix + "/metrics/TrainingMetrics.json";
        var full = Drfc1Json;
        using var watcher = new MetricsWatcher([$"s3://{bucket}/{prefix}"], _server.Options);
        await PutAsync(bucket, key, ShortJson());

        var first = await watcher.PollAsync();
        Assert.Equal(100, first.Metrics.Rows.Count);
        Assert.Equal(4, first.Metrics.LatestMasterIteration);
        Assert.True(first.NewIteration);
        Assert.Single(first.FilesRead);

        // Unchanged size, ETag and mtime: nothing is downloaded again.
        var unchanged = await watcher.PollAsync();
        Assert.Empty(unchanged.FilesRead);
        Assert.False(unchanged.NewIteration);
        Assert.Equal(100, unchanged.Metrics.Rows.Count);

        // Caught mid-upload: skipped, reported, the previous data stays.
        await PutAsync(bucket, key, full[..(full.Length * 2 / 3)]);
        var truncated = await watcher.PollAsync();
        Assert.Equal([$"s3://{bucket}/{prefix}/metrics/TrainingMetrics.json"], truncated.IncompleteFiles);
        Assert.Equal(100, truncated.Metrics.Rows.Count);
        Assert.False(truncated.NewIteration);

        await PutAsync(bucket, key, full);
        var grown = await watcher.PollAsync();
        Assert.Empty(grown.IncompleteFiles);
        Assert.Equal(600, grown.Metrics.Rows.Count);
        Assert.Equal(27, grown.Metrics.LatestMasterIteration);
        Assert.True(grown.NewIteration);
    }

    [Fact]
    public async Task WatchAsync_Folder_YieldsFirstPollThenTheNewIteration()
    {
        using var temp = new TempDir();
        var file = temp.Write("metrics/TrainingMetrics.json", ShortJson());
        using var watcher = new MetricsWatcher([temp.Path]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var polls = watcher.WatchAsync(TimeSpan.FromMilliseconds(20), timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await polls.MoveNextAsync());
        Assert.Equal(4, polls.Current.Metrics.LatestMasterIteration);

        // Written through a temporary file and a rename, so the watcher never sees it half-written here.
        File.WriteAllText(file + ".tmp", Drfc1Json);
        File.Move(file + ".tmp", file, overwrite: true);
        Assert.True(await polls.MoveNextAsync());
        Assert.True(polls.Current.NewIteration);
        Assert.Equal(27, polls.Current.Metrics.LatestMasterIteration);

        await timeout.CancelAsync();
        Assert.False(await polls.MoveNextAsync());
    }

    [Fact]
    public async Task PollAsync_Worker0MidWrite_WaitsForItInsteadOfFailing()
    {
        using var temp = new TempDir();
        var metrics = Path.Combine(TestSupport.Sample("sample-drfc-3-logs"), "metrics");
        var worker0 = File.ReadAllText(Path.Combine(metrics, "TrainingMetrics.json"));
        temp.Write("metrics/TrainingMetrics_1.json", File.ReadAllText(Path.Combine(metrics, "TrainingMetrics_1.json")));
        var file0 = temp.Write("metrics/TrainingMetrics.json", worker0[..1000]);
        using var watcher = new MetricsWatcher([temp.Path]);

        // Worker 1's trials do not restart per iteration, so without worker 0 nothing can be numbered yet.
        var waiting = await watcher.PollAsync();
        Assert.Empty(waiting.Metrics.Rows);
        Assert.Single(waiting.IncompleteFiles);
        Assert.EndsWith("TrainingMetrics.json", waiting.IncompleteFiles[0], StringComparison.Ordinal);

        File.WriteAllText(file0, worker0);
        var complete = await watcher.PollAsync();

        // 298 elements in TrainingMetrics.json + 240 in TrainingMetrics_1.json.
        Assert.Equal(538, complete.Metrics.Rows.Count);
        Assert.True(complete.NewIteration);
    }

    [Fact]
    public async Task PollAsync_FolderWithoutMetricsYet_WarnsInsteadOfFailing()
    {
        using var temp = new TempDir();
        temp.Write("training-simtrace/0-iteration.csv", "episode,steps\n");
        using var watcher = new MetricsWatcher([temp.Path]);

        var poll = await watcher.PollAsync();

        Assert.Empty(poll.Metrics.Rows);
        Assert.Contains("has no training metrics", poll.Warning, StringComparison.Ordinal);
    }

    private async Task PutAsync(string bucket, string key, string body)
    {
        await _server.CreateBucketAsync(bucket);
        await _server.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = body, UseChunkEncoding = false });
    }
}
