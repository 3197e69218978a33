using Amazon.S3.Model;
using DeepRacer.Analysis.Tests.Sources;

namespace DeepRacer.Analysis.Tests.Robustness;

/// <summary>
/// Broken transfers between drlog and the real s3rver, made by <see cref="FaultProxy"/> in front of it: a body cut
/// mid-stream or stalled is one clear error naming the object; a slow body still loads whole; an object rewritten or
/// deleted between the listing and the GET loads what the GET returned, or is one clear error.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class S3FaultTests
{
    private const string TraceFile = "training-simtrace/0-iteration.csv";
    private readonly S3ServerFixture _server;

    public S3FaultTests(S3ServerFixture server) => _server = server;

    // The first lines of the single-worker DRfC sample's first trace file (header included).
    private static string Trace(int lines) =>
        string.Join('\n', File.ReadLines(Path.Combine(TestSupport.Sample("sample-drfc-1-logs"), "training-simtrace", "0-iteration.csv")).Take(lines)) + "\n";

    // A single-worker DRfC model of one trace file, on s3rver under a prefix of its own.
    private async Task<(string Uri, TempDir Local)> UploadAsync(int lines)
    {
        var dir = new TempDir();
        dir.Write(TraceFile, Trace(lines));
        var uri = await _server.UploadFolderAsync(dir.Path, "faults", $"model-{Guid.NewGuid():N}");
        return (uri, dir);
    }

    private static ProxyFault OnTraceGet(string method, string path, ProxyFault fault) =>
        method == "GET" && path.Contains("0-iteration.csv", StringComparison.Ordinal) ? fault : ProxyFault.None;

    [Fact]
    public async Task BodyCutMidStream_OneLineErrorNamingTheObjectAndWhatToDo()
    {
        var (uri, local) = await UploadAsync(200);
        using var _ = local;
        using var proxy = new FaultProxy(_server.EndpointUrl) { FaultFor = (m, p) => OnTraceGet(m, p, ProxyFault.Cut) };
        using var log = await DeepRacerLog.OpenAsync(uri, _server.Options with { EndpointUrl = proxy.Url });

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => log.LoadTrainingTraceAsync());

        Assert.Equal(1, proxy.Faulted);
        // 200 lines of the sample are 30522 bytes (head -200 | wc -c); the proxy passed half of them on.
        Assert.StartsWith($"{uri}/{TraceFile}: download broke off at ", e.Message, StringComparison.Ordinal);
        Assert.Contains(" of 30522 bytes (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("); run again.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task BodyStalledMidStream_TimesOutWithOneLineNamingTheObject()
    {
        var (uri, local) = await UploadAsync(200);
        using var _ = local;
        using var proxy = new FaultProxy(_server.EndpointUrl) { FaultFor = (m, p) => OnTraceGet(m, p, ProxyFault.Stall) };
        using var log = await DeepRacerLog.OpenAsync(uri, _server.Options with { EndpointUrl = proxy.Url, Timeout = TimeSpan.FromSeconds(2) });

        // Without a bound of drlog's own the load waits forever; here it would end in a TimeoutException.
        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => log.LoadTrainingTraceAsync().WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(1, proxy.Faulted);
        Assert.Equal($"{uri}/{TraceFile}: download stalled at 15261 of 30522 bytes (nothing for 2 s); run again.", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task SlowBody_LoadsWhole()
    {
        var (uri, local) = await UploadAsync(6); // about 900 bytes: 15 pieces, 1.5 s
        using var _ = local;
        using var proxy = new FaultProxy(_server.EndpointUrl) { FaultFor = (m, p) => OnTraceGet(m, p, ProxyFault.Slow) };
        using var log = await DeepRacerLog.OpenAsync(uri, _server.Options with { EndpointUrl = proxy.Url });
        using var folder = await DeepRacerLog.OpenAsync(local.Path);

        var steps = await log.LoadTrainingTraceAsync();

        Assert.Equal(1, proxy.Faulted);
        Assert.Equal(5, steps.RowCount);
        Assert.Equal((await folder.LoadTrainingTraceAsync()).X.ToArray(), steps.X.ToArray());
        Assert.Equal(0, steps.Report.BadLineCount);
    }

    [Theory]
    [InlineData(80)] // grew: a running training appended steps
    [InlineData(20)] // shrank: rewritten shorter
    public async Task ObjectRewrittenBetweenListAndGet_LoadsWhatTheGetReturned(int lines)
    {
        var (uri, local) = await UploadAsync(50);
        using var _ = local;
        using var log = await DeepRacerLog.OpenAsync(uri, _server.Options);
        var listed = Assert.Single(await log.Source.ListAsync());
        var key = uri["s3://faults/".Length..] + "/" + TraceFile;
        await _server.Client.PutObjectAsync(new PutObjectRequest { BucketName = "faults", Key = key, ContentBody = Trace(lines), UseChunkEncoding = false });

        var steps = await log.LoadTrainingTraceAsync();

        Assert.Equal(Trace(50).Length, listed.Length);
        Assert.NotEqual(Trace(lines).Length, listed.Length);
        Assert.Equal(lines - 1, steps.RowCount);
        Assert.Equal(0, steps.Report.BadLineCount);
    }

    [Fact]
    public async Task ObjectDeletedBetweenListAndGet_OneLineErrorNamingTheObject()
    {
        var (uri, local) = await UploadAsync(50);
        using var _ = local;
        using var log = await DeepRacerLog.OpenAsync(uri, _server.Options);
        Assert.Single(await log.Source.ListAsync());
        await _server.Client.DeleteObjectAsync("faults", uri["s3://faults/".Length..] + "/" + TraceFile);

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => log.LoadTrainingTraceAsync());

        Assert.Equal($"{uri}/{TraceFile} was not found (it may have been deleted while listing); run again.", e.Message);
    }
}
