using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tests.Sources;

namespace DeepRacer.Analysis.Tests.Robustness;

/// <summary>
/// Broken transfers from the S3 test server (its fault modes, see tests/s3server/start.js): a body cut mid-stream is
/// one clear error naming the object; a slow body still loads whole; an object that grew between listing and reading
/// loads what the GET returned, its unfinished last line counted as a bad line.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class S3FaultTests
{
    private readonly S3ServerFixture _server;

    public S3FaultTests(S3ServerFixture server) => _server = server;

    // A single-worker DRfC model of one small trace file, under a prefix that carries the fault marker.
    private async Task<(string Uri, TempDir Local)> UploadAsync(string fault, int lines)
    {
        var dir = new TempDir();
        var csv = File.ReadLines(Path.Combine(TestSupport.Sample("sample-drfc-1-logs"), "training-simtrace", "0-iteration.csv")).Take(lines);
        dir.Write("training-simtrace/0-iteration.csv", string.Join('\n', csv) + "\n");
        var uri = await _server.UploadFolderAsync(dir.Path, "faults", $"{fault}/model-{Guid.NewGuid():N}");
        return (uri, dir);
    }

    [Fact]
    public async Task BodyCutMidStream_OneLineErrorNamingTheObject()
    {
        var (uri, local) = await UploadAsync("__fault-cut__", 200);
        using var _ = local;
        using var log = await DeepRacerLog.OpenAsync(uri, _server.Options);

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => log.LoadTrainingTraceAsync());

        Assert.StartsWith($"S3 request for {uri}/training-simtrace/0-iteration.csv failed: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task SlowBody_LoadsWhole()
    {
        var (uri, local) = await UploadAsync("__fault-slow__", 6); // about 900 bytes: 15 pieces, 3 s
        using var _ = local;
        using var log = await DeepRacerLog.OpenAsync(uri, _server.Options);
        using var folder = await DeepRacerLog.OpenAsync(local.Path);

        var steps = await log.LoadTrainingTraceAsync();

        Assert.Equal(5, steps.RowCount);
        Assert.Equal((await folder.LoadTrainingTraceAsync()).X.ToArray(), steps.X.ToArray());
        Assert.Equal(0, steps.Report.BadLineCount);
    }

    [Fact]
    public async Task ObjectGrewBetweenListAndGet_LoadsWhatTheGetReturned()
    {
        var (uri, local) = await UploadAsync("__fault-grow__", 50);
        using var _ = local;
        using var log = await DeepRacerLog.OpenAsync(uri, _server.Options);
        var listed = Assert.Single(await log.Source.ListAsync());

        var steps = await log.LoadTrainingTraceAsync();

        Assert.IsType<S3ModelSource>(log.Source);
        Assert.Equal(49, steps.RowCount);
        var bad = Assert.Single(steps.Report.FirstBadLines);
        Assert.Equal(51, bad.LineNumber);
        Assert.StartsWith("truncated last line", bad.Reason, StringComparison.Ordinal);
        Assert.True(listed.Length > 0);
    }
}
