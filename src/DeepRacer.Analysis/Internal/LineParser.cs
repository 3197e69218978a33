namespace DeepRacer.Analysis.Internal;

/// <summary>
/// Base of the line-oriented parsers: splits a block of UTF-8 bytes into lines and hands each to <see cref="ParseLine"/>.
/// </summary>
/// <remarks>The caller owns I/O: it feeds blocks and carries the unconsumed tail into the next one.</remarks>
internal abstract class LineParser
{
    /// <summary>1-based number of the line being parsed.</summary>
    protected long LineNumber { get; private set; }

    /// <summary>Parses every complete line of <paramref name="block"/>; returns how many bytes were consumed.</summary>
    /// <param name="block">Bytes read so far and not yet consumed.</param>
    /// <param name="isFinal">True when no more bytes follow: a last line without a newline is parsed too.</param>
    public int Feed(ReadOnlySpan<byte> block, bool isFinal)
    {
        var consumed = 0;
        while (consumed < block.Length)
        {
            var rest = block[consumed..];
            var end = rest.IndexOf((byte)'\n');
            if (end < 0)
            {
                if (!isFinal)
                {
                    break;
                }

                end = rest.Length;
            }

            var line = rest[..end];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            LineNumber++;
            ParseLine(line, isLastLineWithoutNewline: end == rest.Length);
            consumed += Math.Min(end + 1, rest.Length);
        }

        return consumed;
    }

    /// <summary>Parses one line (without its line end).</summary>
    protected abstract void ParseLine(ReadOnlySpan<byte> line, bool isLastLineWithoutNewline);
}
