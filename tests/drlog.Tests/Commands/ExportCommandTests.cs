using System.Text.Json;

namespace DrLog.Tests.Commands;

/// <summary><c>drlog export</c> and <c>drlog sql</c> against <c>drlog episodes --format json</c>, on every shipped sample.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private static readonly (string Sample, string Model)[] s_samples =
    [
        ("sample-console-logs", "sample-console-logs"),
        ("sample-drfc-1-logs", "sample-drfc-1-logs"),
        ("sample-drfc-3-logs", "sample-drfc-3-logs"),
        ("sample-droa-solution-logs", "sample-droa-solution-logs"),
        ("sample-droa-solution-logs.tar.gz", "droa-tgz"),
    ];

    private readonly string _temp = Directory.CreateTempSubdirectory("drlog-export-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Exported_episodes_and_the_reference_query_equal_episodes_json_cell_for_cell()
    {
        var output = Path.Combine(_temp, "export");
        var (exit, stdout, stderr) = await CliRunner.RunAsync(["export", .. s_samples[..4].Select(s => CliRunner.Sample(s.Sample)), "-o", output]);
        Assert.True(exit == 0, stderr);
        // 43,749 = the data lines of samples/sample-drfc-3-logs/*/training-simtrace/*.csv (grep -v '^episode,' | grep -c .).
        Assert.Contains("sample-drfc-3-logs steps: 43749 rows, 1 file(s) written, 0 unchanged", stdout, StringComparison.Ordinal);
        (exit, _, stderr) = await CliRunner.RunAsync("export", CliRunner.Sample(s_samples[4].Sample), "--model", s_samples[4].Model, "-o", output);
        Assert.True(exit == 0, stderr);

        var reference = await File.ReadAllTextAsync(Path.Combine(CliRunner.Root, "docs", "episodes-from-steps.sql"));
        var rebuilt = await SqlJsonAsync(reference, output);
        foreach (var (sample, model) in s_samples)
        {
            var (code, json, err) = await CliRunner.RunAsync("episodes", CliRunner.Sample(sample), "--format", "json");
            Assert.True(code == 0, err);
            var expected = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
            var exported = await SqlJsonAsync($"SELECT * EXCLUDE (model) FROM episodes WHERE model = '{model}' ORDER BY unique_episode", output);

            AssertSameCells(expected, exported, $"{model} exported episodes");
            AssertSameCells(expected, [.. rebuilt.Where(r => r.GetProperty("model").GetString() == model)], $"{model} reference query");
        }
    }

    [Fact]
    public async Task Sql_over_a_source_loads_it_on_the_fly()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("sql", "SELECT model, count(*) AS n FROM steps GROUP BY model", "--data", CliRunner.Sample("sample-drfc-1-logs"), "-f", "csv");

        // 39,392 = the data lines of samples/sample-drfc-1-logs/training-simtrace/*.csv (grep -v '^episode,' | grep -c .).
        Assert.True(exit == 0, stderr);
        Assert.Equal("model,n\nsample-drfc-1-logs,39392\n", stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Unwritable_destination_is_one_line_and_exit_1()
    {
        var file = Path.Combine(_temp, "file.txt");
        await File.WriteAllTextAsync(file, "x");
        var (exit, stdout, stderr) = await CliRunner.RunAsync("export", CliRunner.Sample("sample-drfc-1-logs"), "-o", Path.Combine(file, "out"));

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith($"drlog: Cannot write {Path.Combine(file, "out")}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_on_a_missing_table_is_one_line_and_exit_1()
    {
        var output = Path.Combine(_temp, "export");
        await CliRunner.RunAsync("export", CliRunner.Sample("sample-drfc-1-logs"), "-o", output, "--tables", "episodes");
        var (exit, stdout, stderr) = await CliRunner.RunAsync("sql", "SELECT * FROM laps", "-d", output);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("drlog: SQL: Catalog Error: Table with name laps does not exist!", line, StringComparison.Ordinal);
        Assert.EndsWith("(tables here: episodes)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_parquet_file_is_one_line_and_exit_1()
    {
        var output = Path.Combine(_temp, "export");
        await CliRunner.RunAsync("export", CliRunner.Sample("sample-drfc-1-logs"), "-o", output, "--tables", "episodes");
        var bad = Path.Combine(output, "table=episodes", "model=broken", "part-0.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(bad)!);
        await File.WriteAllBytesAsync(bad, new byte[100]);

        var (exit, _, stderr) = await CliRunner.RunAsync("sql", "SELECT count(*) FROM episodes", "-d", output);

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains(bad, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Athena_ddl_names_the_models_and_the_layout()
    {
        var output = Path.Combine(_temp, "export");
        await CliRunner.RunAsync("export", CliRunner.Sample("sample-drfc-1-logs"), "-o", output, "--tables", "episodes");
        var (exit, stdout, _) = await CliRunner.RunAsync("export", "--ddl", "athena", "-o", output);

        Assert.Equal(0, exit);
        Assert.Contains("'projection.model.values' = 'sample-drfc-1-logs'", stdout, StringComparison.Ordinal);
        Assert.Contains($"'storage.location.template' = '{output}/table=episodes/model=${{model}}/'", stdout, StringComparison.Ordinal);
        Assert.Contains("  `x` float,", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exported_catalog_equals_logs_list_json_cell_for_cell_without_a_source()
    {
        var catalog = Path.Combine(_temp, "logs");
        var output = Path.Combine(_temp, "export");
        var (exit, _, stderr) = await CliRunner.RunAsync("logs", "import", "--root", catalog, CliRunner.Sample("sample-console-logs/logs"), CliRunner.Sample("sample-droa-solution-logs/logs"));
        Assert.True(exit == 0, stderr);

        (exit, var stdout, stderr) = await CliRunner.RunAsync("export", "-o", output, "--tables", "catalog", "--catalog", catalog);
        Assert.True(exit == 0, stderr);
        // 7 = the .log files of the two samples' logs/ folders (ls | wc -l).
        Assert.Equal("catalog: 7 rows, 1 file(s) written, 0 unchanged\n", stdout.ReplaceLineEndings("\n"));
        (_, stdout, _) = await CliRunner.RunAsync("export", "-o", output, "--tables", "catalog", "--catalog", catalog);
        Assert.Equal("catalog: 7 rows, 0 file(s) written, 1 unchanged\n", stdout.ReplaceLineEndings("\n"));

        (exit, var json, stderr) = await CliRunner.RunAsync("logs", "list", "--root", catalog, "--all-columns", "--format", "json");
        Assert.True(exit == 0, stderr);
        var expected = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        Assert.Equal(7, expected.Count);
        AssertSameCells(expected, await SqlJsonAsync("SELECT * FROM catalog", output), "exported catalog");
        var models = await SqlJsonAsync("SELECT model_name, sum(events) AS events FROM catalog GROUP BY model_name ORDER BY model_name", output);
        // wc -l of the imported logs: the console sample's five 1045+1050+975+980+1114, the DROA sample's two 1855+1481.
        Assert.Equal(["Analysis-Demo:5164", "Progress-Test-B-1:3336"], models.Select(m => $"{m.GetProperty("model_name").GetString()}:{m.GetProperty("events").GetRawText()}"));

        (exit, stdout, _) = await CliRunner.RunAsync("export", "--ddl", "athena", "-o", output);
        Assert.Equal(0, exit);
        Assert.Contains($"  `events` double,\n  `bytes` double,\n  `sha256` string,\n  `track` string\n)\nSTORED AS PARQUET\nLOCATION '{output}/table=catalog/';", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_export_of_an_empty_catalog_is_one_line_and_exit_1()
    {
        var missing = Path.Combine(_temp, "no-logs");
        var (exit, stdout, stderr) = await CliRunner.RunAsync("export", "-o", Path.Combine(_temp, "export"), "--tables", "catalog", "--catalog", missing);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith($"drlog: No log catalog entries in {missing}: import or fetch logs first", line, StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> SqlJsonAsync(string sql, string data)
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("sql", sql, "--data", data, "--format", "json");
        Assert.True(exit == 0, stderr);
        return [.. JsonDocument.Parse(stdout).RootElement.EnumerateArray()];
    }

    /// <summary>Every key of every CLI row has the same JSON text (numbers at full precision, null for NaN).</summary>
    private static void AssertSameCells(List<JsonElement> expected, List<JsonElement> actual, string what)
    {
        Assert.True(expected.Count > 0, what);
        Assert.True(expected.Count == actual.Count, $"{what}: {expected.Count} rows expected, {actual.Count} found");
        for (var row = 0; row < expected.Count; row++)
        {
            foreach (var cell in expected[row].EnumerateObject())
            {
                var found = actual[row].GetProperty(cell.Name).GetRawText();
                Assert.True(cell.Value.GetRawText() == found, $"{what}: row {row} {cell.Name}: expected {cell.Value.GetRawText()}, found {found}");
            }
        }
    }
}
