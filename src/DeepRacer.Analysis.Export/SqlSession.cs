using System.Data.Common;
using DuckDB.NET.Data;

namespace DeepRacer.Analysis.Export;

/// <summary>
/// Embedded DuckDB over an export folder: one view per exported table (<c>steps</c>, <c>episodes</c>,
/// <c>metrics</c>) with <c>model</c> from the Hive partition, <c>catalog</c> when the log catalog was exported, and
/// queries answered as drlog tables.
/// </summary>
public sealed class SqlSession : IDisposable
{
    private readonly DuckDBConnection _connection;

    private SqlSession(DuckDBConnection connection, IReadOnlyList<string> tables)
    {
        _connection = connection;
        Tables = tables;
    }

    /// <summary>The views this session has (tables with at least one file).</summary>
    public IReadOnlyList<string> Tables { get; }

    /// <summary>Opens an in-memory DuckDB with a view per table found under <paramref name="folder"/>.</summary>
    /// <param name="folder">An export folder (with <c>table=NAME/model=M/*.parquet</c> below it).</param>
    /// <param name="memoryLimit">DuckDB's memory limit, e.g. <c>2GB</c>; null for DuckDB's default (80 % of RAM).</param>
    /// <exception cref="DeepRacerLogException">The folder holds no export, or a file is not Parquet.</exception>
    public static SqlSession Open(string folder, string? memoryLimit = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var full = Path.GetFullPath(folder);
        var tables = ExportSchema.Tables
            .Where(t => Directory.Exists(Path.Combine(full, "table=" + t)) && Directory.EnumerateFiles(Path.Combine(full, "table=" + t), "*.parquet", SearchOption.AllDirectories).Any())
            .ToList();
        if (tables.Count == 0)
        {
            throw new DeepRacerLogException($"{folder} holds no drlog export (no table=steps|episodes|metrics|catalog folders with .parquet files): export models into it first.");
        }

        var connection = new DuckDBConnection("Data Source=:memory:");
        try
        {
            connection.Open();
            if (memoryLimit is not null)
            {
                Execute(connection, $"SET memory_limit = '{memoryLimit.Replace("'", "", StringComparison.Ordinal)}'");
            }

            foreach (var table in tables)
            {
                Execute(connection, ViewSql(table, full));
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new SqlSession(connection, tables);
    }

    /// <summary>
    /// The view of one table: every file below <c>table=NAME/</c>, <c>model</c> first (from the path, as Athena and
    /// Spark see it), then the file's columns. The catalog has no partition: its files sit in <c>table=catalog/</c>.
    /// </summary>
    public static string ViewSql(string table, string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (table == ExportSchema.Catalog)
        {
            // Without hive_partitioning = false DuckDB would add a "table" column from the path.
            var files = Path.Combine(folder, $"table={table}", "*.parquet").Replace("'", "''", StringComparison.Ordinal);
            return $"CREATE VIEW \"{table}\" AS SELECT * FROM read_parquet('{files}', hive_partitioning = false)";
        }

        var glob = Path.Combine(folder, $"table={table}", "*", "*.parquet").Replace("'", "''", StringComparison.Ordinal);
        return $"CREATE VIEW \"{table}\" AS SELECT model, * EXCLUDE (model, \"table\") FROM read_parquet('{glob}', hive_partitioning = true, hive_types = {{'model': VARCHAR, 'table': VARCHAR}})";
    }

    /// <summary>Runs one SQL statement and returns its rows (integers stay integers, FLOAT stays float32; NULL becomes NaN or null).</summary>
    /// <exception cref="DeepRacerLogException">The SQL is wrong, names a missing table, or a file is damaged.</exception>
    public Table Query(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            return Read(reader);
        }
        catch (DuckDBException e)
        {
            throw Translate(e, Tables);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    private static void Execute(DuckDBConnection connection, string sql)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
        catch (DuckDBException e)
        {
            throw Translate(e, []);
        }
    }

    /// <summary>DuckDB's message in one line; a missing table also lists the tables there are.</summary>
    private static DeepRacerLogException Translate(DuckDBException e, IReadOnlyList<string> tables)
    {
        var line = e.Message.Split('\n', 2)[0].Trim();
        if (line.StartsWith("Catalog Error", StringComparison.Ordinal) && tables.Count > 0)
        {
            line += $" (tables here: {string.Join(", ", tables)})";
        }

        return new DeepRacerLogException("SQL: " + line, e);
    }

    private static Table Read(DbDataReader reader)
    {
        var n = reader.FieldCount;
        var values = new List<object?>[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = [];
        }

        while (reader.Read())
        {
            for (var i = 0; i < n; i++)
            {
                values[i].Add(reader.IsDBNull(i) ? null : reader.GetValue(i));
            }
        }

        var columns = new List<Column>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var name = reader.GetName(i);
            // A result may repeat a name (SELECT a.x, b.x); a table needs unique ones.
            for (var k = 2; !names.Add(name); k++)
            {
                name = $"{reader.GetName(i)}_{k}";
            }

            columns.Add(ToColumn(name, reader.GetFieldType(i), values[i]));
        }

        return new Table(columns);
    }

    private static Column ToColumn(string name, Type type, List<object?> values)
    {
        var hasNull = values.Contains(null);
        return type switch
        {
            _ when type == typeof(float) => new Column<float>(name, [.. values.Select(v => v is float f ? f : float.NaN)]),
            _ when type == typeof(double) => new Column<double>(name, [.. values.Select(v => v is double d ? d : double.NaN)]),
            _ when type == typeof(bool) && !hasNull => new Column<bool>(name, [.. values.Select(v => (bool)v!)]),
            _ when type == typeof(int) && !hasNull => new Column<int>(name, [.. values.Select(v => (int)v!)]),
            _ when type == typeof(short) && !hasNull => new Column<short>(name, [.. values.Select(v => (short)v!)]),
            _ when type == typeof(byte) && !hasNull => new Column<byte>(name, [.. values.Select(v => (byte)v!)]),
            _ when type == typeof(long) && !hasNull => new Column<long>(name, [.. values.Select(v => (long)v!)]),
            _ when IsNumber(type) => new Column<double>(name, [.. values.Select(v => v is null ? double.NaN : Convert.ToDouble(v, CultureInfo.InvariantCulture))]),
            _ => new Column<string>(name, [.. values.Select(v => v switch
            {
                null => null!,
                string s => s,
                DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
                _ => Convert.ToString(v, CultureInfo.InvariantCulture)!,
            })]),
        };
    }

    /// <summary>Numbers that do not map to a drlog column type as they are (NULLs in integer columns, decimals, unsigned and 128-bit integers) become float64 with NaN for NULL.</summary>
    private static bool IsNumber(Type type) =>
        type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(long) || type == typeof(sbyte) || type == typeof(ushort)
        || type == typeof(uint) || type == typeof(ulong) || type == typeof(decimal) || type == typeof(System.Numerics.BigInteger) || type == typeof(Int128) || type == typeof(UInt128);
}
