using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3.Model;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Sources;

/// <summary>
/// The S3 source against a real S3 server (s3rver): what it reads must equal what the local folder gives, and
/// its failures must be one-line <see cref="DeepRacerLogException"/>s that say what is wrong.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class S3ModelSourceTests
{
    private readonly S3ServerFixture _server;

    public S3ModelSourceTests(S3ServerFixture server) => _server = server;

    [Theory]
    [InlineData("sample-drfc-3-logs", FolderType.DrfcModelMultipleWorkers)]
    [InlineData("sample-drfc-1-logs", FolderType.DrfcModelSingleWorkers)]
    [InlineData("sample-console-logs", FolderType.ConsoleModelWithLogs)]
    [InlineData("sample-droa-solution-logs", FolderType.DroaSolutionLogs)]
    public async Task OpenAsync_UploadedSample_DetectsFolderType(string sample, FolderType expected)
    {
        var uri = await _server.UploadSampleAsync(sample);
        using var local = await DeepRacerLog.OpenAsync(Path.Combine(_server.SamplesFolder, sample));
        using var remote = await DeepRacerLog.OpenAsync(uri, _server.Options);

        Assert.Equal(expected, local.FolderType);
        Assert.Equal(local.FolderType, remote.FolderType);
        Assert.Equal(local.Layout.Files.Select(f => (f.Path, f.Length)), remote.Layout.Files.Select(f => (f.Path, f.Length)));
    }

    [Theory]
    [InlineData("sample-drfc-3-logs", StepTableKind.Training)]
    [InlineData("sample-drfc-3-logs", StepTableKind.Evaluation)]
    [InlineData("sample-drfc-1-logs", StepTableKind.Training)]
    [InlineData("sample-drfc-1-logs", StepTableKind.Evaluation)]
    [InlineData("sample-console-logs", StepTableKind.Training)]
    [InlineData("sample-console-logs", StepTableKind.Evaluation)]
    [InlineData("sample-console-logs", StepTableKind.Leaderboard)]
    [InlineData("sample-droa-solution-logs", StepTableKind.Training)]
    [InlineData("sample-droa-solution-logs", StepTableKind.Evaluation)]
    public async Task LoadAsync_UploadedSample_EpisodesEqualLocalFolder(string sample, StepTableKind kind)
    {
        var uri = await _server.UploadSampleAsync(sample);
        var (localSteps, localEpisodes) = await LoadAsync(Path.Combine(_server.SamplesFolder, sample), kind, null);
        var (remoteSteps, remoteEpisodes) = await LoadAsync(uri, kind, _server.Options);

        Assert.True(localEpisodes.RowCount > 0, $"{sample} {kind} has no episodes: the comparison would prove nothing.");
        Assert.Equal(localSteps.RowCount, remoteSteps.RowCount);
        Assert.Equal(localSteps.Streams, remoteSteps.Streams);
        AssertSameTable(localEpisodes, remoteEpisodes);
    }

    [Theory]
    [InlineData("sample-drfc-3-logs", 43749, 690, 3)]
    [InlineData("sample-drfc-1-logs", 39392, 540, 1)]
    [InlineData("sample-console-logs", 44247, 560, 1)]
    public async Task LoadAsync_UploadedTrainingTrace_HasCountedStepsAndEpisodes(string sample, int steps, int episodes, int workers)
    {
        // Steps and episodes were counted from the CSV lines; workers from the folders.
        var uri = await _server.UploadSampleAsync(sample);
        var (stepTable, episodeTable) = await LoadAsync(uri, StepTableKind.Training, _server.Options);

        Assert.Equal(steps, stepTable.RowCount);
        Assert.Equal(episodes, episodeTable.RowCount);
        Assert.Equal(workers, stepTable.WorkerCount);
    }

    [Theory]
    [InlineData(StepTableKind.Training)]
    [InlineData(StepTableKind.Evaluation)]
    public async Task LoadAsync_DroaTarGz_EpisodesEqualFolderAndUpload(StepTableKind kind)
    {
        const string Sample = "sample-droa-solution-logs";
        var uri = await _server.UploadSampleAsync(Sample);
        var (_, folder) = await LoadAsync(Path.Combine(_server.SamplesFolder, Sample), kind, null);
        var (_, tarball) = await LoadAsync(Path.Combine(_server.SamplesFolder, Sample + ".tar.gz"), kind, null);
        var (_, remote) = await LoadAsync(uri, kind, _server.Options);

        Assert.True(folder.RowCount > 0);
        AssertSameTable(folder, tarball);
        AssertSameTable(folder, remote);
    }

    [Fact]
    public async Task OpenAsync_PrefixWithTrailingSlash_ListsSameFiles()
    {
        var uri = await _server.UploadSampleAsync("sample-drfc-1-logs");
        using var plain = await DeepRacerLog.OpenAsync(uri, _server.Options);
        using var slashed = await DeepRacerLog.OpenAsync(uri + "/", _server.Options);

        Assert.Equal(plain.Source.Description, slashed.Source.Description);
        Assert.Equal(plain.Layout.Files.Select(f => f.Path), slashed.Layout.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task ListAsync_MoreThanOnePage_ListsEveryObject()
    {
        // S3 lists at most 1000 keys per response: 1001 objects need the continuation token. Many PUTs in
        // flight hide the per-request latency of s3rver's file store.
        const int Count = 1001;
        await _server.CreateBucketAsync("paged");
        await Parallel.ForEachAsync(Enumerable.Range(0, Count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, cancellationToken) =>
            await _server.Client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = "paged",
                Key = string.Create(CultureInfo.InvariantCulture, $"model/metrics/{i:D4}.json"),
                ContentBody = "{}",
                UseChunkEncoding = false,
            }, cancellationToken));
        using var source = S3ModelSource.Create("s3://paged/model", _server.Options);

        var files = await source.ListAsync();

        Assert.Equal(Count, files.Count);
        Assert.Equal("metrics/0000.json", files[0].Path);
        Assert.Equal("metrics/1000.json", files[^1].Path);
        Assert.All(files, f => Assert.Equal(2, f.Length));
    }

    [Fact]
    public async Task OpenAsync_MissingBucket_ThrowsBucketDoesNotExist()
    {
        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => DeepRacerLog.OpenAsync("s3://no-such-bucket/model", _server.Options));

        AssertOneLine(e, "Bucket 'no-such-bucket' does not exist", _server.EndpointUrl);
    }

    [Fact]
    public async Task OpenAsync_EmptyBucket_ThrowsNothingUnder()
    {
        await _server.CreateBucketAsync("empty");

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => DeepRacerLog.OpenAsync("s3://empty/model", _server.Options));

        AssertOneLine(e, "Nothing under s3://empty/model", "check the bucket and model prefix");
    }

    [Fact]
    public async Task OpenAsync_PrefixThatOnlyStartsAModelName_ThrowsNothingUnder()
    {
        // "sample-drfc" must not match "sample-drfc-1-logs/...": a prefix is a folder, not a string start.
        await _server.UploadSampleAsync("sample-drfc-1-logs");

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => DeepRacerLog.OpenAsync("s3://samples/sample-drfc", _server.Options));

        AssertOneLine(e, "Nothing under s3://samples/sample-drfc", "check the bucket and model prefix");
    }

    [Fact]
    public async Task OpenAsync_UnknownAccessKey_ThrowsAccessKeyNotKnown()
    {
        var uri = await _server.UploadSampleAsync("sample-drfc-1-logs");
        var options = _server.Options with { Credentials = new BasicAWSCredentials("NOSUCHKEY", S3ServerFixture.SecretKey) };

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => DeepRacerLog.OpenAsync(uri, options));

        AssertOneLine(e, "does not know the access key", "check the credentials");
    }

    [Fact]
    public async Task OpenAsync_WrongSecret_ThrowsSignatureMismatch()
    {
        var uri = await _server.UploadSampleAsync("sample-drfc-1-logs");
        var options = _server.Options with { Credentials = new BasicAWSCredentials(S3ServerFixture.AccessKey, "not-the-secret") };

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => DeepRacerLog.OpenAsync(uri, options));

        AssertOneLine(e, "rejected the secret key (signature mismatch)", "check the credentials");
    }

    [Fact]
    public async Task OpenAsync_ClosedPort_FailsFastWithCannotReach()
    {
        var endpoint = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ClosedPort()}");
        var options = _server.Options with { EndpointUrl = endpoint, MaxRetries = 0, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => DeepRacerLog.OpenAsync("s3://bucket/model", options));

        AssertOneLine(e, $"Cannot reach {endpoint}", "check the EndpointUrl option and that the server is running.");
        Assert.Equal(InputProblem.EndpointUnreachable, e.Problem);
        Assert.Equal(endpoint, e.Subject);
        Assert.Equal([InputSetting.EndpointUrl], e.Settings);
        Assert.EndsWith("check --endpoint-url and that the server is running.", e.Format(s => s == InputSetting.EndpointUrl ? "--endpoint-url" : "?"), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"A refused connection took {clock.Elapsed}; it should fail at once.");
    }

    [Theory]
    [InlineData("s3://samples")]
    [InlineData("s3://samples/")]
    [InlineData("s3://samples//")]
    [InlineData("s3:///model")]
    public async Task OpenAsync_UriWithoutBucketOrPrefix_ThrowsNeedsBucketAndPrefix(string uri)
    {
        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => DeepRacerLog.OpenAsync(uri, _server.Options));

        AssertOneLine(e, "needs a bucket and a model prefix", "s3://bucket/model-prefix");
    }

    [Fact]
    public async Task LoadAsync_ObjectDeletedAfterListing_ThrowsNotFound()
    {
        // A trace deleted between listing and reading (a DRfC upload being replaced) must say so, not crash.
        const string Trace = "training-simtrace/0-iteration.csv";
        await _server.CreateBucketAsync("volatile");
        await _server.Client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "volatile",
            Key = "model/" + Trace,
            FilePath = Path.Combine(_server.SamplesFolder, "sample-drfc-1-logs", Trace),
            UseChunkEncoding = false,
        });
        using var log = await DeepRacerLog.OpenAsync("s3://volatile/model", _server.Options);
        await _server.Client.DeleteObjectAsync("volatile", "model/" + Trace);

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => log.LoadAsync(StepTableKind.Training));

        AssertOneLine(e, "s3://volatile/model/" + Trace, "was not found");
    }

    private static async Task<(StepTable Steps, EpisodeTable Episodes)> LoadAsync(string location, StepTableKind kind, S3Options? options)
    {
        using var log = await DeepRacerLog.OpenAsync(location, options);
        var steps = await log.LoadAsync(kind, TraceKind.Auto);
        return (steps, EpisodeTable.Aggregate(steps));
    }

    /// <summary>A port nothing listens on: bound by the OS, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Same columns, same values row by row; NaN equals NaN, and doubles must be bit-for-bit equal otherwise.</summary>
    private static void AssertSameTable(Table expected, Table actual)
    {
        Assert.Equal(expected.Columns.Select(c => (c.Name, c.Kind)), actual.Columns.Select(c => (c.Name, c.Kind)));
        Assert.Equal(expected.RowCount, actual.RowCount);
        for (var c = 0; c < expected.Columns.Count; c++)
        {
            var (x, y) = (expected.Columns[c], actual.Columns[c]);
            for (var row = 0; row < expected.RowCount; row++)
            {
                var same = x.Kind == ColumnKind.Text
                    ? string.Equals(x.AsText(row), y.AsText(row), StringComparison.Ordinal)
                    : x.AsDouble(row).Equals(y.AsDouble(row));
                if (!same)
                {
                    Assert.Fail($"Column {x.Name}, row {row}: expected {x.AsText(row) ?? "null"}, got {y.AsText(row) ?? "null"}.");
                }
            }
        }
    }

    private static void AssertOneLine(DeepRacerLogException e, params string[] parts)
    {
        Assert.DoesNotContain('\n', e.Message);
        foreach (var part in parts)
        {
            Assert.Contains(part, e.Message, StringComparison.Ordinal);
        }
    }
}
