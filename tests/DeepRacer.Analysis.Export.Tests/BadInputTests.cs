using DeepRacer.Analysis.Tests;

namespace DeepRacer.Analysis.Export.Tests;

public sealed class BadInputTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_unwritable_destination_is_one_line_naming_it()
    {
        // Below a regular file: no folder can be made there, not even by root (CI runs as root).
        var file = _dir.Write("file.txt", "x");
        using var target = ExportTarget.Create(Path.Combine(file, "export"));

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() =>
            ParquetExporter.ExportAsync(TestSupport.Sample("sample-drfc-1-logs"), "m", target, new ExportOptions { Tables = [ExportSchema.Episodes] }));

        Assert.StartsWith($"Cannot write {Path.Combine(file, "export")}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_corrupt_parquet_file_is_one_line_naming_it()
    {
        var bad = _dir.Write("table=episodes/model=m/part-0.parquet", "this is not parquet");

        var e = Assert.Throws<DeepRacerLogException>(() =>
        {
            using var session = SqlSession.Open(_dir.Path);
            session.Query("SELECT count(*) FROM episodes");
        });

        Assert.Contains(bad, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_bad_model_name_is_refused()
    {
        var e = Assert.Throws<DeepRacerLogException>(() => ParquetExporter.CheckModelName("a/b"));
        Assert.Contains("'a/b'", e.Message, StringComparison.Ordinal);
        Assert.Equal("My-Model_2", ParquetExporter.ModelNameOf("s3://bucket/models/My-Model_2/"));
        Assert.Equal("sample-droa-solution-logs", ParquetExporter.ModelNameOf("samples/sample-droa-solution-logs.tar.gz"));
    }
}
