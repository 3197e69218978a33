using System.Text.RegularExpressions;

namespace DeepRacer.Analysis.Export.Tests;

[Collection(ExportCollection.Name)]
public sealed partial class LayoutTests(ExportFixture export)
{
    [Fact]
    public async Task Athena_ddl_layout_and_columns_are_what_DuckDB_hive_partitioning_reads()
    {
        using var target = ExportTarget.Create(export.Folder);
        var models = await target.ListModelsAsync();
        var ddl = AthenaDdl.Create(export.Folder, models);
        using var duck = SqlSession.Open(export.Folder);

        Assert.Equal(ExportFixture.Models.Select(m => m.Model).Order(StringComparer.Ordinal), models);
        foreach (var table in ExportSchema.ModelTables)
        {
            var statement = ddl[ddl.IndexOf($"`{table}` (", StringComparison.Ordinal)..];
            var template = Template().Match(statement).Groups[1].Value;
            Assert.Equal($"{export.Folder}/table={table}/model=${{model}}/", template);

            // DuckDB reads the projection's locations as Hive partitions: the same model values...
            var glob = template.Replace("${model}", "*", StringComparison.Ordinal) + "*.parquet";
            var found = duck.Query($"SELECT DISTINCT model FROM read_parquet('{glob}', hive_partitioning = true) ORDER BY model").Get<string>("model").ToArray();
            Assert.Equal(models, found);

            // ...and the DDL's columns, in order, with the types DuckDB sees in the files.
            var described = duck.Query($"DESCRIBE SELECT * FROM read_parquet('{glob}', hive_partitioning = false)");
            var columns = Column().Matches(statement[..statement.IndexOf("PARTITIONED", StringComparison.Ordinal)])
                .Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
            var duckTypes = described.Get<string>("column_type").ToArray();
            Assert.Equal(columns.Select(c => c.Item1), described.Get<string>("column_name").ToArray());
            for (var i = 0; i < columns.Count; i++)
            {
                Assert.Equal(columns[i].Item2, AthenaTypeOf(duckTypes[i]));
            }
        }
    }

    [Fact]
    public async Task Athena_ddl_catalog_table_is_unpartitioned_with_the_catalog_files_columns()
    {
        using var dir = new DeepRacer.Analysis.Tests.TempDir();
        var output = await CatalogExportTests.ExportSampleCatalogAsync(dir.Path);
        var ddl = AthenaDdl.Create(output, []);
        using var duck = SqlSession.Open(output);

        var statement = ddl[ddl.IndexOf("`catalog` (", StringComparison.Ordinal)..];
        Assert.EndsWith($"STORED AS PARQUET\nLOCATION '{output}/table=catalog/';\n", statement, StringComparison.Ordinal);
        var columns = Column().Matches(statement).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        var described = duck.Query("DESCRIBE catalog");
        var duckTypes = described.Get<string>("column_type").ToArray();

        // The DDL has the fixed columns; the file also has the one added by hand (last), which Athena would skip.
        Assert.Equal(columns.Select(c => c.Item1).Append("note"), described.Get<string>("column_name").ToArray());
        for (var i = 0; i < columns.Count; i++)
        {
            Assert.Equal(columns[i].Item2, AthenaTypeOf(duckTypes[i]));
        }
    }

    private static string AthenaTypeOf(string duckType) => duckType switch
    {
        "INTEGER" => "int",
        "BIGINT" => "bigint",
        "SMALLINT" or "UTINYINT" => "smallint",
        "FLOAT" => "float",
        "DOUBLE" => "double",
        "BOOLEAN" => "boolean",
        "VARCHAR" => "string",
        _ => duckType,
    };

    [GeneratedRegex(@"'storage\.location\.template' = '([^']+)'")]
    private static partial Regex Template();

    [GeneratedRegex(@"^  `([^`]+)` (\w+)", RegexOptions.Multiline)]
    private static partial Regex Column();
}
