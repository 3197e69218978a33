#:project ../src/DeepRacer.Analysis.Export
#:package Parquet.Net
#:package DuckDB.NET.Data.Full
// Which Parquet writer for drlog export? Writes the steps of a model with Parquet.Net, ParquetSharp and DuckDB
// (appender + COPY) and prints time and size. Usage: dotnet run bench/parquet-writers.cs [MODEL] [OUT-DIR]
using System.Diagnostics;
using DeepRacer.Analysis;
using DeepRacer.Analysis.Export;
using DeepRacer.Analysis.Tables;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Schema;

var model = args.Length > 0 ? args[0] : "/work/benchdata/drfc3-500mb";
var outDir = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "drlog-parquet-writers");
Directory.CreateDirectory(outDir);
using var log = await DeepRacerLog.OpenAsync(model);
var steps = await log.LoadTrainingTraceAsync();
var table = ExportTables.Steps(steps);
Console.WriteLine($"{table.RowCount:N0} rows, {table.Columns.Count} columns; load average {File.ReadAllText("/proc/loadavg").Trim()}");

async Task Time(string name, string file, Func<string, Task> write)
{
    for (var run = 0; run < 1; run++)
    {
        var sw = Stopwatch.StartNew();
        await write(file);
        Console.WriteLine($"{name,-28} run {run}: {sw.Elapsed.TotalSeconds,6:0.00} s  {new FileInfo(file).Length / 1e6,7:0.0} MB");
    }
}

await Time("Parquet.Net zstd", Path.Combine(outDir, "parquetnet.parquet"), async f =>
{
    var fields = table.Columns.Select(c => c is Column<string>
        ? new DataField<string>(c.Name, true) : new DataField(c.Name, c.GetType().GetGenericArguments()[0], false)).ToArray();
    await using var stream = File.Create(f);
    await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, new ParquetOptions { CompressionMethod = CompressionMethod.Zstd });
    for (var start = 0; start < table.RowCount; start += ParquetTableWriter.RowGroupRows)
    {
        var n = Math.Min(ParquetTableWriter.RowGroupRows, table.RowCount - start);
        using var group = writer.CreateRowGroup();
        for (var i = 0; i < fields.Length; i++)
        {
            await (table.Columns[i] switch
            {
                Column<int> c => group.WriteAsync<int>(fields[i], c.Values.Slice(start, n).ToArray()),
                Column<short> c => group.WriteAsync<short>(fields[i], c.Values.Slice(start, n).ToArray()),
                Column<byte> c => group.WriteAsync<byte>(fields[i], c.Values.Slice(start, n).ToArray()),
                Column<float> c => group.WriteAsync<float>(fields[i], c.Values.Slice(start, n).ToArray()),
                Column<double> c => group.WriteAsync<double>(fields[i], c.Values.Slice(start, n).ToArray()),
                Column<bool> c => group.WriteAsync<bool>(fields[i], c.Values.Slice(start, n).ToArray()),
                Column<string> c => group.WriteAsync(fields[i], (IReadOnlyCollection<string>)c.Values.Slice(start, n).ToArray(), null),
                _ => Task.CompletedTask,
            });
        }
    }
});

await Time("ParquetSharp zstd (drlog)", Path.Combine(outDir, "parquetsharp.parquet"), f =>
{
    ParquetTableWriter.Write(table, f);
    return Task.CompletedTask;
});

await Time("DuckDB appender + COPY zstd", Path.Combine(outDir, "duckdb.parquet"), f =>
{
    using var conn = new DuckDBConnection("Data Source=:memory:");
    conn.Open();
    string Sql(Type t) => t == typeof(int) ? "INTEGER" : t == typeof(short) ? "SMALLINT" : t == typeof(byte) ? "UTINYINT" : t == typeof(float) ? "FLOAT"
        : t == typeof(double) ? "DOUBLE" : t == typeof(bool) ? "BOOLEAN" : "VARCHAR";
    using (var cmd = conn.CreateCommand())
    {
        cmd.CommandText = $"CREATE TABLE t ({string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\" {Sql(c.GetType().GetGenericArguments()[0])}"))})";
        cmd.ExecuteNonQuery();
    }

    using (var appender = conn.CreateAppender("t"))
    {
        for (var r = 0; r < table.RowCount; r++)
        {
            var row = appender.CreateRow();
            foreach (var c in table.Columns)
            {
                switch (c)
                {
                    case Column<int> x: row.AppendValue(x[r]); break;
                    case Column<short> x: row.AppendValue(x[r]); break;
                    case Column<byte> x: row.AppendValue(x[r]); break;
                    case Column<float> x: row.AppendValue(x[r]); break;
                    case Column<double> x: row.AppendValue(x[r]); break;
                    case Column<bool> x: row.AppendValue(x[r]); break;
                    case Column<string> x: row.AppendValue(x[r]); break;
                }
            }

            row.EndRow();
        }
    }

    using (var cmd = conn.CreateCommand())
    {
        cmd.CommandText = $"COPY t TO '{f}' (FORMAT parquet, COMPRESSION zstd)";
        cmd.ExecuteNonQuery();
    }

    return Task.CompletedTask;
});
