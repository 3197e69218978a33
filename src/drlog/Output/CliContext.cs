using System.Buffers;
using System.Text;
using Spectre.Console;

namespace DrLog.Output;

/// <summary>Where a command writes, and how loudly.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public bool Verbose { get; set; }

    /// <summary>The console that asks questions (delete confirmation); null means the real terminal, when there is one.</summary>
    public IAnsiConsole? Terminal { get; init; }

    /// <summary>True once the skipped symbolic links of the source were named (a command may load several times).</summary>
    public bool LinksReported { get; set; }

    /// <summary>True when stdout is the real console attached to a terminal (colours, terminal width).</summary>
    public bool OutIsTerminal => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>
    /// Writes a large block of text to <see cref="Out"/>. The console's writer flushes every 256 bytes (tens of thousands of
    /// system calls for a large CSV, on one thread after the parallel work), so text for the real stdout goes to its stream
    /// as UTF-8 in one write; any other writer (a test's) gets it as usual.
    /// </summary>
    public async Task WriteBulkAsync(ReadOnlyMemory<char> text)
    {
        if (!ReferenceEquals(Out, Console.Out))
        {
            await Out.WriteAsync(text).ConfigureAwait(false);
            return;
        }

        // Whatever the console writer holds goes first, so the order stays.
        await Out.FlushAsync().ConfigureAwait(false);
        _stdout ??= Console.OpenStandardOutput();
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text.Span, bytes);
            await _stdout.WriteAsync(bytes.AsMemory(0, length)).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private Stream? _stdout;

    /// <summary>True when stderr is the real console attached to a terminal (progress bars).</summary>
    public bool ErrorIsTerminal => ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;
}
