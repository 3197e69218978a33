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

    /// <summary>True when stderr is the real console attached to a terminal (progress bars).</summary>
    public bool ErrorIsTerminal => ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;
}
