using DeepRacer.Analysis.Catalog;
using DeepRacer.Analysis.Tests;

namespace DeepRacer.Analysis.Export.Tests;

/// <summary>
/// The log catalog as <c>table=catalog</c>. Expected figures from the imported files by hand:
/// <c>wc -lc local_training/*.log</c> (7 files, 8,500 lines, 1,201,610 bytes; IBZwYd0MRMqgwKlAe7bb0A 1,045 lines,
/// 112,947 bytes) and <c>sha256sum</c> of the training-job log.
/// </summary>
public sealed class CatalogExportTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Catalog_reads_back_with_ArrowCpp_and_DuckDB_and_a_rerun_writes_nothing()
    {
        var output = await ExportSampleCatalogAsync(_dir.Path);
        var file = Path.Combine(output, "table=catalog", "part-0.parquet");

        var arrow = ParquetReading.ReadWithArrowCpp(file);
        Assert.Equal(7, arrow.RowCount);
        Assert.Equal(CatalogTable.AllColumns.Append("note"), arrow.Columns.Select(c => c.Name));
        var ids = arrow.Get<string>("id").ToArray();
        var eval = Array.IndexOf(ids, "IBZwYd0MRMqgwKlAe7bb0A");
        Assert.Equal((1045.0, 112947.0, "Analysis-Demo", "evaluation"), (arrow.Get<double>("events")[eval], arrow.Get<double>("bytes")[eval], arrow.Get<string>("model_name")[eval], arrow.Get<string>("log_type")[eval]));
        Assert.Equal("ae2957ec6a8be814e4d6954f276821265c77618866a7b862f60f596f8ebbe294", arrow.Get<string>("sha256")[Array.IndexOf(ids, "EHNgTNY2T9-77qXhqjBi6A")]);
        // The column added by hand is text, null where a row has none.
        Assert.Equal(ids.Select(i => i == "IBZwYd0MRMqgwKlAe7bb0A" ? "best lap" : null), arrow.Get<string>("note").ToArray());
        // A DROA log has no 'cloned' in it: empty in the CSV, null in the file; numbers missing from a log are NaN.
        Assert.Null(arrow.Get<string>("cloned")[Array.IndexOf(ids, "deepracerindy-training-ACGVRmRuFNU9NkQ")]);
        Assert.True(double.IsNaN(arrow.Get<double>("n_trials")[Array.IndexOf(ids, "EHNgTNY2T9-77qXhqjBi6A")]));

        using (var duck = SqlSession.Open(output))
        {
            Assert.Contains(ExportSchema.Catalog, duck.Tables);
            var sums = duck.Query("SELECT count(*) AS n, sum(events) AS events, sum(bytes) AS bytes, count(DISTINCT model_name) AS models FROM catalog");
            Assert.Equal((7L, 8500.0, 1201610.0, 2L), (sums.Get<long>("n")[0], sums.Get<double>("events")[0], sums.Get<double>("bytes")[0], sums.Get<long>("models")[0]));
        }

        using var target = ExportTarget.Create(output);
        var again = await ParquetExporter.ExportCatalogAsync(LogCatalog.Open(Path.Combine(_dir.Path, "logs")), target);
        Assert.Equal(new ExportResult("", ExportSchema.Catalog, 7, 0, 1, 0), again);
    }

    [Fact]
    public async Task An_empty_catalog_is_an_error_not_an_empty_file()
    {
        using var target = ExportTarget.Create(Path.Combine(_dir.Path, "export"));

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => ParquetExporter.ExportCatalogAsync(LogCatalog.Open(Path.Combine(_dir.Path, "none")), target));

        Assert.Contains("has no entries", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "export", "table=catalog")));
    }

    /// <summary>Imports the console and DROA samples' logs into <c>DIR/logs</c>, adds a column by hand, exports it to <c>DIR/export</c>.</summary>
    internal static async Task<string> ExportSampleCatalogAsync(string dir)
    {
        var catalog = LogCatalog.Open(Path.Combine(dir, "logs"));
        await catalog.ImportAsync([TestSupport.Sample("sample-console-logs/logs"), TestSupport.Sample("sample-droa-solution-logs/logs")]);

        // A user's own column: a header field and one value, the other rows left empty (one line per record here).
        var lines = await File.ReadAllLinesAsync(catalog.Local.Path);
        await File.WriteAllLinesAsync(catalog.Local.Path, [lines[0] + ",note", .. lines[1..].Select(l => l + (l.StartsWith("IBZwYd0MRMqgwKlAe7bb0A,", StringComparison.Ordinal) ? ",best lap" : ","))]);
        Assert.Empty(catalog.Malformed());

        var output = Path.Combine(dir, "export");
        using var target = ExportTarget.Create(output);
        var result = await ParquetExporter.ExportCatalogAsync(catalog, target);
        Assert.Equal(new ExportResult("", ExportSchema.Catalog, 7, 1, 0, 0), result);
        return output;
    }
}
