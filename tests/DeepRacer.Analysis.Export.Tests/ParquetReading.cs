using DeepRacer.Analysis.Tables;
using ParquetSharp;
using Column = DeepRacer.Analysis.Tables.Column;

namespace DeepRacer.Analysis.Export.Tests;

/// <summary>Reads Parquet files back with Apache Arrow's C++ reader (ParquetSharp) and Parquet.Net, into drlog tables.</summary>
internal static class ParquetReading
{
    /// <summary>All rows of a file through ParquetSharp's logical readers, typed as the file says.</summary>
    public static Table ReadWithArrowCpp(string path)
    {
        using var file = new ParquetFileReader(path);
        var schema = file.FileMetaData.Schema;
        var columns = new List<Column>();
        for (var c = 0; c < schema.NumColumns; c++)
        {
            var name = schema.Column(c).Name;
            var type = SystemType(schema.Column(c));
            columns.Add(type switch
            {
                _ when type == typeof(int) => new DeepRacer.Analysis.Tables.Column<int>(name, Read<int>(file, c)),
                _ when type == typeof(long) => new DeepRacer.Analysis.Tables.Column<long>(name, Read<long>(file, c)),
                _ when type == typeof(short) => new DeepRacer.Analysis.Tables.Column<short>(name, Read<short>(file, c)),
                _ when type == typeof(byte) => new DeepRacer.Analysis.Tables.Column<byte>(name, Read<byte>(file, c)),
                _ when type == typeof(float) => new DeepRacer.Analysis.Tables.Column<float>(name, Read<float>(file, c)),
                _ when type == typeof(double) => new DeepRacer.Analysis.Tables.Column<double>(name, Read<double>(file, c)),
                _ when type == typeof(bool) => new DeepRacer.Analysis.Tables.Column<bool>(name, Read<bool>(file, c)),
                _ when type == typeof(string) => new DeepRacer.Analysis.Tables.Column<string>(name, Read<string>(file, c)),
                _ => throw new InvalidOperationException($"{path}: column {name} has type {type}"),
            });
        }

        return new Table(columns);
    }

    /// <summary>The .NET type a column holds, from its physical and logical type.</summary>
    public static Type SystemType(ColumnDescriptor column) => column.PhysicalType switch
    {
        PhysicalType.Float => typeof(float),
        PhysicalType.Double => typeof(double),
        PhysicalType.Boolean => typeof(bool),
        PhysicalType.ByteArray => typeof(string),
        PhysicalType.Int64 => typeof(long),
        PhysicalType.Int32 => column.LogicalType switch
        {
            IntLogicalType { BitWidth: 16, IsSigned: true } => typeof(short),
            IntLogicalType { BitWidth: 8, IsSigned: false } => typeof(byte),
            _ => typeof(int),
        },
        _ => typeof(object),
    };

    private static T[] Read<T>(ParquetFileReader file, int column)
    {
        var values = new List<T>();
        for (var g = 0; g < file.FileMetaData.NumRowGroups; g++)
        {
            using var group = file.RowGroup(g);
            using var reader = group.Column(column).LogicalReader<T>();
            values.AddRange(reader.ReadAll(checked((int)group.MetaData.NumRows)));
        }

        return [.. values];
    }

    /// <summary>Cell-by-cell comparison through <see cref="DeepRacer.Analysis.Tables.Column.Format"/> (full precision, the CLI's CSV text).</summary>
    public static void AssertSameCells(Table expected, Table actual, string what)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        foreach (var e in expected.Columns)
        {
            var a = actual[e.Name];
            for (var row = 0; row < expected.RowCount; row++)
            {
                if (e.Format(row) != a.Format(row))
                {
                    Assert.Fail($"{what}: {e.Name} row {row}: expected {e.Format(row)}, got {a.Format(row)}");
                }
            }
        }
    }
}
