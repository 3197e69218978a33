using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using ByteArray = ParquetSharp.ByteArray;
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

    // The physical writers, not ParquetSharp's LogicalWriter<T>(): that one picks its converter through
    // MakeGenericMethod and compiled expressions, which Native AOT cannot run. The schema (Describe) still carries the
    // logical types, so the files are what LogicalWriter<T>() wrote: INT(16) and INT(8, unsigned) stored as INT32,
    // strings as optional UTF-8 byte arrays.
    private static void WriteColumn(ColumnWriter writer, Column column, int start, int count)
    {
        switch (column)
        {
            case Column<int> c: Write(writer, c.Values.Slice(start, count)); break;
            case Column<long> c: Write(writer, c.Values.Slice(start, count)); break;
            case Column<short> c: WriteAsInt32(writer, c.Values.Slice(start, count)); break;
            case Column<byte> c: WriteAsInt32(writer, c.Values.Slice(start, count)); break;
            case Column<float> c: Write(writer, c.Values.Slice(start, count)); break;
            case Column<double> c: Write(writer, c.Values.Slice(start, count)); break;
            case Column<bool> c: Write(writer, c.Values.Slice(start, count)); break;
            case Column<string> c: WriteStrings(writer, c.Values.Slice(start, count)); break;
        }
    }

    private static void Write<T>(ColumnWriter writer, ReadOnlySpan<T> values)
        where T : unmanaged => ((ParquetSharp.ColumnWriter<T>)writer).WriteBatch(values);

    private static void WriteAsInt32<T>(ColumnWriter writer, ReadOnlySpan<T> values)
        where T : unmanaged, IBinaryInteger<T>
    {
        var wide = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            wide[i] = int.CreateTruncating(values[i]);
        }

        ((ParquetSharp.ColumnWriter<int>)writer).WriteBatch(wide);
    }

    private static void WriteStrings(ColumnWriter writer, ReadOnlySpan<string?> values)
    {
        // One UTF-8 buffer for the batch, pinned while the writer copies it; a null is definition level 0, no value.
        var levels = new short[values.Length];
        var size = 0;
        var present = 0;
        foreach (var value in values)
        {
            if (value is not null)
            {
                size += Encoding.UTF8.GetByteCount(value);
                present++;
            }
        }

        var bytes = new byte[Math.Max(size, 1)];
        var arrays = new ByteArray[present];
        var pin = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        try
        {
            var start = pin.AddrOfPinnedObject();
            var offset = 0;
            var k = 0;
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is { } value)
                {
                    var length = Encoding.UTF8.GetBytes(value, bytes.AsSpan(offset));
                    arrays[k++] = new ByteArray(start + offset, length);
                    offset += length;
                    levels[i] = 1;
                }
            }

            ((ParquetSharp.ColumnWriter<ByteArray>)writer).WriteBatch(values.Length, levels, default, arrays);
        }
        finally
        {
            pin.Free();
        }
    }
}
