using System.Buffers;
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
    /// system calls for a large CSV, on one thread after the parallel work), so text for the real stdout, when redirected
    /// to a file or pipe, goes to its stream in one write, in the writer's own encoding; a terminal and any other writer
    /// (a test's) get it as usual.
    /// </summary>
    public async Task WriteBulkAsync(ReadOnlyMemory<char> text)
    {
        if (!IsRedirectedConsoleOut(Out))
        {
            await Out.WriteAsync(text).ConfigureAwait(false);
            return;
        }

        var encoding = Out.Encoding;
        var bytes = ArrayPool<byte>.Shared.Rent(encoding.GetMaxByteCount(text.Length));
        try
        {
            var length = encoding.GetBytes(text.Span, bytes);
            await WriteConsoleBytesAsync(Out, bytes.AsMemory(0, length)).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>
    /// Writes bytes, already in <paramref name="consoleOut"/>'s encoding, straight to the process's stdout, after whatever
    /// the console writer still holds (so the order stays). Only for a writer <see cref="IsRedirectedConsoleOut"/> accepts.
    /// </summary>
    public static async Task WriteConsoleBytesAsync(TextWriter consoleOut, ReadOnlyMemory<byte> bytes)
    {
        await consoleOut.FlushAsync().ConfigureAwait(false);
        s_stdout ??= Console.OpenStandardOutput();
        await s_stdout.WriteAsync(bytes).ConfigureAwait(false);
    }

    // The process's stdout as a stream, opened once (commands write one after the other, never in parallel).
    private static Stream? s_stdout;

    /// <summary>True for the process's own stdout redirected to a file or pipe (where bytes can bypass the console writer).</summary>
    public static bool IsRedirectedConsoleOut(TextWriter writer) => ReferenceEquals(writer, Console.Out) && Console.IsOutputRedirected;

    /// <summary>True when stderr is the real console attached to a terminal (progress bars).</summary>
    public bool ErrorIsTerminal => ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;
}
