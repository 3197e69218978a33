using Amazon.S3.Model;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tests;
using DeepRacer.Analysis.Tests.Sources;

namespace DeepRacer.Analysis.Export.Tests;

/// <summary>The export tests' own s3rver (xunit needs collection definitions in the test assembly).</summary>
[CollectionDefinition(Name)]
public sealed class S3ExportCollection : ICollectionFixture<S3ServerFixture>
{
    public const string Name = "s3rver-export";
}

[Collection(S3ExportCollection.Name)]
public sealed class S3ExportTests(S3ServerFixture s3) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Export_to_S3_uploads_the_partitions_and_reruns_write_nothing()
    {
        await s3.CreateBucketAsync("exports");
        var options = new ExportOptions { S3 = s3.Options };
        using var target = ExportTarget.Create("s3://exports/league", s3.Options);

        var first = await ParquetExporter.ExportAsync(TestSupport.Sample("sample-drfc-1-logs"), "drfc1", target, options);
        var second = await ParquetExporter.ExportAsync(TestSupport.Sample("sample-drfc-1-logs"), "drfc1", target, options);

        Assert.All(first, r => Assert.Equal(1, r.Written));
        Assert.All(second, r => Assert.Equal((0, 1), (r.Written, r.Unchanged)));
        var keys = (await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "exports", Prefix = "league/" })).S3Objects.Select(o => o.Key).ToList();
        Assert.Contains("league/table=steps/model=drfc1/part-000000.parquet", keys);
        Assert.Contains("league/table=episodes/model=drfc1/part-0.parquet", keys);
        Assert.Contains("league/table=metrics/model=drfc1/_drlog_manifest.json", keys);
        Assert.Equal(["drfc1"], await target.ListModelsAsync());

        // What S3 holds is what drlog computes.
        var local = Path.Combine(_dir.Path, "episodes.parquet");
        using (var get = await s3.Client.GetObjectAsync("exports", "league/table=episodes/model=drfc1/part-0.parquet"))
        {
            await get.WriteResponseStreamToFileAsync(local, append: false, CancellationToken.None);
        }

        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample("sample-drfc-1-logs"));
        ParquetReading.AssertSameCells(EpisodeTable.Aggregate(await log.LoadTrainingTraceAsync()), ParquetReading.ReadWithArrowCpp(local), "S3");
    }

    [Fact]
    public async Task A_missing_bucket_is_one_clear_error()
    {
        using var target = ExportTarget.Create("s3://no-such-bucket/x", s3.Options);
        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() =>
            ParquetExporter.ExportAsync(TestSupport.Sample("sample-drfc-1-logs"), "m", target, new ExportOptions { Tables = [ExportSchema.Episodes], S3 = s3.Options }));
        Assert.Contains("no-such-bucket", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
