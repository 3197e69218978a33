using System.IO.Compression;
using System.Text;

namespace DeepRacer.Analysis.Tests.Robustness;

/// <summary>Builders for damaged inputs: .npy tracks, tar headers edited in place, gzip round trips.</summary>
internal static class TestInputs
{
    /// <summary>A version-1 .npy file of float64 values with the given shape.</summary>
    public static byte[] Npy(int rows, int columns, IEnumerable<double> values)
    {
        var header = Encoding.ASCII.GetBytes($"{{'descr': '<f8', 'fortran_order': False, 'shape': ({rows}, {columns}), }}\n");
        var prefix = new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 };
        return [.. prefix, .. BitConverter.GetBytes((ushort)header.Length), .. header, .. values.SelectMany(BitConverter.GetBytes)];
    }

    /// <summary>The values of a shipped track file's N x 6 array, to be edited.</summary>
    public static double[] TrackValues(string name, out int rows)
    {
        var array = DeepRacer.Analysis.Tracks.NpyReader.ReadFile(Path.Combine(TestSupport.RepoRoot, "tracks", name + ".npy"));
        rows = array.Rows;
        return [.. Enumerable.Range(0, array.Rows).SelectMany(r => Enumerable.Range(0, 6).Select(c => array[r, c]))];
    }

    public static byte[] Gunzip(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Offsets of the tar headers of a plain (uncompressed) ustar/GNU archive, with their member names.</summary>
    public static List<(int Offset, string Name)> TarHeaders(byte[] tar)
    {
        var result = new List<(int, string)>();
        var offset = 0;
        while (offset + 512 <= tar.Length && tar[offset] != 0)
        {
            var name = Encoding.ASCII.GetString(tar, offset, 100).TrimEnd('\0');
            var sizeText = Encoding.ASCII.GetString(tar, offset + 124, 12).Trim('\0', ' ');
            var size = Convert.ToInt64(sizeText, 8);
            result.Add((offset, name));
            offset += 512 + (int)((size + 511) / 512 * 512);
        }

        return result;
    }

    /// <summary>Writes a field of a tar header and fixes the header's checksum, so that only the field is wrong.</summary>
    public static void SetTarField(byte[] tar, int header, int fieldOffset, ReadOnlySpan<byte> value)
    {
        value.CopyTo(tar.AsSpan(header + fieldOffset));
        tar.AsSpan(header + 148, 8).Fill((byte)' ');
        var sum = 0;
        for (var i = 0; i < 512; i++)
        {
            sum += tar[header + i];
        }

        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(tar, header + 148);
    }

    public const int TarSizeField = 124;
    public const int TarTypeField = 156;
}
