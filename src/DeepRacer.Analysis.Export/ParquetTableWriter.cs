using ColumnWriter = ParquetSharp.ColumnWriter;
using Compression = ParquetSharp.Compression;
using ParquetFileWriter = ParquetSharp.ParquetFileWriter;
using PqColumn = ParquetSharp.Column;
using WriterPropertiesBuilder = ParquetSharp.WriterPropertiesBuilder;

namespace DeepRacer.Analysis.Export;

/// <summary>Writes a drlog <see cref="Table"/> as one Parquet file: zstd, statistics, dictionary-encoded strings.</summary>
/// <remarks>
/// ParquetSharp (Apache Arrow's C++ writer) was chosen by measurement over Parquet.Net and DuckDB's COPY
/// (<c>bench/parquet-writers.cs</c>, README "Parquet export"). The column arrays go to the writer as spans, so
/// float32 stays FLOAT, short is INT(16) and byte is INT(8, unsigned).
/// </remarks>
public static class ParquetTableWriter
{
    /// <summary>Rows per row group: large for fast scans, small enough that DuckDB reads a file on several threads and min/max statistics prune.</summary>
    public const int RowGroupRows = 262_144;

    /// <summary>Writes the table to a file (created or overwritten), one row group per <see cref="RowGroupRows"/> rows.</summary>
    public static void Write(Table table, string path)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = table.Columns.Select(Describe).ToArray();
        using var properties = new WriterPropertiesBuilder()
            .Compression(Compression.Zstd)
            .EnableStatistics()
            .EnableDictionary()
            .CreatedBy("drlog export")
            .Build();
        using var file = new ParquetFileWriter(path, columns, properties);
        var start = 0;
        do
        {
            var count = Math.Min(RowGroupRows, table.RowCount - start);
            using var group = file.AppendRowGroup();
            foreach (var column in table.Columns)
            {
                using var writer = group.NextColumn();
                WriteColumn(writer, column, start, count);
            }

            start += count;
        }
        while (start < table.RowCount);

        file.Close();
    }

    private static PqColumn Describe(Column column) => column switch
    {
        Column<int> => new ParquetSharp.Column<int>(column.Name),
        Column<long> => new ParquetSharp.Column<long>(column.Name),
        Column<short> => new ParquetSharp.Column<short>(column.Name),
        Column<byte> => new ParquetSharp.Column<byte>(column.Name),
        Column<float> => new ParquetSharp.Column<float>(column.Name),
        Column<double> => new ParquetSharp.Column<double>(column.Name),
        Column<bool> => new ParquetSharp.Column<bool>(column.Name),
        Column<string> => new ParquetSharp.Column<string>(column.Name),
        _ => throw new NotSupportedException($"Column {column.Name} of {column.GetType().Name} cannot be exported."),
    };

    private static void WriteColumn(ColumnWriter writer, Column column, int start, int count)
    {
        switch (column)
        {
            case Column<int> c: Write(writer, c, start, count); break;
            case Column<long> c: Write(writer, c, start, count); break;
            case Column<short> c: Write(writer, c, start, count); break;
            case Column<byte> c: Write(writer, c, start, count); break;
            case Column<float> c: Write(writer, c, start, count); break;
            case Column<double> c: Write(writer, c, start, count); break;
            case Column<bool> c: Write(writer, c, start, count); break;
            case Column<string> c: Write(writer, c, start, count); break;
        }
    }

    private static void Write<T>(ColumnWriter writer, Column<T> column, int start, int count)
    {
        using var logical = writer.LogicalWriter<T>();
        logical.WriteBatch(column.Values.Slice(start, count));
    }
}
