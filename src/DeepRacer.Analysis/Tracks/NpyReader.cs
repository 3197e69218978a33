using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace DeepRacer.Analysis.Tracks;

/// <summary>A numeric array read from a NumPy <c>.npy</c> file, widened to float64, in row-major order.</summary>
/// <param name="Shape">The array's dimensions (a 1-D array has one).</param>
/// <param name="Data">The values, row-major (C order) whatever order the file used.</param>
public sealed record NpyArray(IReadOnlyList<int> Shape, double[] Data)
{
    /// <summary>Rows of a 2-D array (the length of a 1-D array).</summary>
    public int Rows => Shape.Count == 0 ? 1 : Shape[0];

    /// <summary>Columns of a 2-D array (1 for a 1-D array).</summary>
    public int Columns => Shape.Count < 2 ? 1 : Shape[1];

    /// <summary>The value at (row, column) of a 2-D array.</summary>
    public double this[int row, int column] => Data[(row * Columns) + column];
}

/// <summary>
/// Reads NumPy <c>.npy</c> files (spec 8.1): format versions 1, 2 and 3, little- or big-endian float16/32/64 and
/// integer dtypes, C or Fortran order, any number of dimensions. Values are widened to float64.
/// </summary>
public static partial class NpyReader
{
    /// <summary>Parses the bytes of an <c>.npy</c> file.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="name">What to call the file in error messages.</param>
    /// <exception cref="DeepRacerLogException">The bytes are not an .npy file of numbers.</exception>
    public static NpyArray Read(ReadOnlySpan<byte> bytes, string name)
    {
        ReadOnlySpan<byte> magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(magic))
        {
            throw Bad(name, "it does not start with the NumPy magic bytes");
        }

        int major = bytes[6];
        int headerLength, headerStart;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
                headerStart = 10;
                break;
            case 2 or 3:
                if (bytes.Length < 12)
                {
                    throw Bad(name, "it ends inside its header");
                }

                // A length past the file (up to 4 GB) is caught below; keep it from overflowing int first.
                headerLength = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]), int.MaxValue - 12);
                headerStart = 12;
                break;
            default:
                throw Bad(name, $"format version {major} is not supported (1, 2 and 3 are)");
        }

        if (headerStart + headerLength > bytes.Length)
        {
            throw Bad(name, "the header is longer than the file");
        }

        // Version 3 only differs by allowing UTF-8 in the header; the keys we read are ASCII either way.
        var header = Encoding.UTF8.GetString(bytes.Slice(headerStart, headerLength));
        var descr = DescrPattern().Match(header) is { Success: true } d ? d.Groups[1].Value
            : throw Bad(name, "its header has no 'descr'");
        var fortran = FortranPattern().Match(header) is { Success: true } f ? f.Groups[1].Value == "True"
            : throw Bad(name, "its header has no 'fortran_order'");
        var shapeMatch = ShapePattern().Match(header);
        if (!shapeMatch.Success)
        {
            throw Bad(name, "its header has no 'shape'");
        }

        var shape = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(name, $"shape entry '{s}' is not a size"))
            .ToArray();
        var (read, size) = Decoder(descr, name);
        var data = bytes[(headerStart + headerLength)..];
        // The shape comes from the file: multiply with a bound so that a huge one is a short-file error, not an overflow.
        long count = 1;
        foreach (var s in shape)
        {
            count = s == 0 || count == 0 ? 0 : count > (long)data.Length / s ? long.MaxValue / size : count * s;
        }

        if (data.Length < count * size)
        {
            throw Bad(name, $"it holds {data.Length} data bytes, but shape ({string.Join(", ", shape)}) of '{descr}' needs {count * size}");
        }

        var values = new double[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = read(data.Slice(i * size, size));
        }

        if (fortran && shape.Length > 1)
        {
            values = FortranToC(values, shape);
        }

        return new NpyArray(shape, values);
    }

    /// <summary>Reads an <c>.npy</c> file from disk.</summary>
    /// <exception cref="DeepRacerLogException">The file is missing or not an .npy file of numbers.</exception>
    public static NpyArray ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeepRacerLogException($"Cannot read track file {path}: {e.Message}", e);
        }

        return Read(bytes, path);
    }

    private delegate double ReadValue(ReadOnlySpan<byte> bytes);

    private static (ReadValue Read, int Size) Decoder(string descr, string name)
    {
        // '|' (not applicable) and '=' (native) are little-endian on every machine .NET runs this on.
        var big = descr[0] == '>';
        var type = descr.TrimStart('<', '>', '|', '=');
        return type switch
        {
            "f8" => (big ? b => BinaryPrimitives.ReadDoubleBigEndian(b) : b => BinaryPrimitives.ReadDoubleLittleEndian(b), 8),
            "f4" => (big ? b => BinaryPrimitives.ReadSingleBigEndian(b) : b => BinaryPrimitives.ReadSingleLittleEndian(b), 4),
            "f2" => (big ? b => (double)BinaryPrimitives.ReadHalfBigEndian(b) : b => (double)BinaryPrimitives.ReadHalfLittleEndian(b), 2),
            "i8" => (big ? b => BinaryPrimitives.ReadInt64BigEndian(b) : b => BinaryPrimitives.ReadInt64LittleEndian(b), 8),
            "i4" => (big ? b => BinaryPrimitives.ReadInt32BigEndian(b) : b => BinaryPrimitives.ReadInt32LittleEndian(b), 4),
            "i2" => (big ? b => BinaryPrimitives.ReadInt16BigEndian(b) : b => BinaryPrimitives.ReadInt16LittleEndian(b), 2),
            "i1" => (b => (sbyte)b[0], 1),
            "u8" => (big ? b => BinaryPrimitives.ReadUInt64BigEndian(b) : b => BinaryPrimitives.ReadUInt64LittleEndian(b), 8),
            "u4" => (big ? b => BinaryPrimitives.ReadUInt32BigEndian(b) : b => BinaryPrimitives.ReadUInt32LittleEndian(b), 4),
            "u2" => (big ? b => BinaryPrimitives.ReadUInt16BigEndian(b) : b => BinaryPrimitives.ReadUInt16LittleEndian(b), 2),
            "u1" => (b => b[0], 1),
            _ => throw Bad(name, $"dtype '{descr}' is not a plain number type (float or integer)"),
        };
    }

    private static double[] FortranToC(double[] values, int[] shape)
    {
        // Fortran order varies the first index fastest; walk C order and compute each element's Fortran offset.
        var result = new double[values.Length];
        var index = new int[shape.Length];
        for (var c = 0; c < values.Length; c++)
        {
            long offset = 0, stride = 1;
            for (var d = 0; d < shape.Length; d++)
            {
                offset += index[d] * stride;
                stride *= shape[d];
            }

            result[c] = values[offset];
            for (var d = shape.Length - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }

        return result;
    }

    private static DeepRacerLogException Bad(string name, string why) =>
        new($"{name} is not a readable .npy track file: {why}; give a NumPy .npy array of waypoints (N x 6 float64).");

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
