using System.Text;

namespace DeepRacer.Analysis.Export;

/// <summary>Athena/Glue <c>CREATE EXTERNAL TABLE</c> statements for an export, with partition projection on <c>model</c> (the catalog has no partition).</summary>
/// <remarks>
/// Projection spares <c>MSCK REPAIR TABLE</c>: Athena computes the partitions' locations from
/// <c>storage.location.template</c>, the same <c>table=T/model=M/</c> layout DuckDB's and Spark's Hive partitioning read.
/// Known models become an <c>enum</c>; with none known the type is <c>injected</c>, and queries must name the model.
/// </remarks>
public static class AthenaDdl
{
    /// <summary>The statements for every exported table at <paramref name="location"/> (<c>s3://bucket/prefix</c>).</summary>
    public static string Create(string location, IReadOnlyList<string> models, string database = "drlog")
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(models);
        var root = location.TrimEnd('/');
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"CREATE DATABASE IF NOT EXISTS `{database}`;\n");
        foreach (var table in ExportSchema.Tables)
        {
            sql.Append(CultureInfo.InvariantCulture, $"\nCREATE EXTERNAL TABLE IF NOT EXISTS `{database}`.`{table}` (\n");
            sql.AppendJoin(",\n", ExportSchema.Columns(table).Select(c => $"  `{c.Name}` {TypeOf(c.Type)}"));
            sql.Append('\n');
            if (table == ExportSchema.Catalog)
            {
                // One file for all models: no partition, nothing to project.
                sql.Append(CultureInfo.InvariantCulture, $")\nSTORED AS PARQUET\nLOCATION '{root}/table={table}/';\n");
                continue;
            }

            sql.Append(CultureInfo.InvariantCulture, $"""
                )
                PARTITIONED BY (`model` string)
                STORED AS PARQUET
                LOCATION '{root}/table={table}/'
                TBLPROPERTIES (
                  'projection.enabled' = 'true',

                """);
            sql.Append(models.Count > 0
                ? $"  'projection.model.type' = 'enum',\n  'projection.model.values' = '{string.Join(",", models)}',\n"
                : "  'projection.model.type' = 'injected',\n");
            sql.Append(CultureInfo.InvariantCulture, $"  'storage.location.template' = '{root}/table={table}/model=${{model}}/'\n);\n");
        }

        return sql.ToString();
    }

    /// <summary>The Athena (Hive DDL) type of a column; an unsigned byte is a smallint, Athena's tinyint being signed.</summary>
    public static string TypeOf(Type type) => type switch
    {
        _ when type == typeof(int) => "int",
        _ when type == typeof(long) => "bigint",
        _ when type == typeof(short) => "smallint",
        _ when type == typeof(byte) => "smallint",
        _ when type == typeof(float) => "float",
        _ when type == typeof(double) => "double",
        _ when type == typeof(bool) => "boolean",
        _ => "string",
    };
}
