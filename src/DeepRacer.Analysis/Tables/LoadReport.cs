namespace DeepRacer.Analysis.Tables;

/// <summary>A line that could not be read and was skipped.</summary>
/// <param name="File">The file, as its source lists it.</param>
/// <param name="LineNumber">1-based line number in that file.</param>
/// <param name="Reason">What was wrong with it.</param>
public sealed record BadLine(string File, long LineNumber, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{File}:{LineNumber}: {Reason}";
}

/// <summary>What a load read: files, bytes, rows and the lines it skipped.</summary>
/// <param name="Files">Number of files read.</param>
/// <param name="Bytes">Bytes read.</param>
/// <param name="Rows">Rows loaded.</param>
/// <param name="BadLineCount">Lines skipped because they could not be parsed.</param>
/// <param name="FirstBadLines">The first few skipped lines, with file and line number.</param>
public sealed record LoadReport(int Files, long Bytes, int Rows, long BadLineCount, IReadOnlyList<BadLine> FirstBadLines)
{
    /// <summary>How many bad lines a load keeps for reporting.</summary>
    public const int MaxReportedBadLines = 10;

    /// <summary>An empty report.</summary>
    public static LoadReport Empty { get; } = new(0, 0, 0, 0, []);
}
