namespace DeepRacer.Analysis.Internal;

/// <summary>Reads a stream in large pooled blocks and feeds them to a <see cref="LineParser"/>.</summary>
internal static class BlockPump
{
#if DEBUG
    // A tiny odd-sized block in Debug makes every test run cross block boundaries mid-line and mid-number.
    private const int InitialBlock = 263;
#else
    private const int InitialBlock = 1 << 20;
#endif

    public static void Run(Stream stream, LineParser parser, Action<long>? bytesRead = null)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBlock);
        try
        {
            var filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    // One line longer than the block: grow instead of splitting it.
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = stream.Read(buffer, filled, buffer.Length - filled);
                filled += read;
                var final = read == 0;
                var consumed = parser.Feed(buffer.AsSpan(0, filled), final);
                if (read > 0)
                {
                    bytesRead?.Invoke(read);
                }

                if (final)
                {
                    return;
                }

                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
