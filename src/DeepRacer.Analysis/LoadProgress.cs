namespace DeepRacer.Analysis;

/// <summary>How far a load has got.</summary>
/// <param name="BytesRead">Bytes parsed so far.</param>
/// <param name="TotalBytes">Bytes to parse.</param>
/// <param name="FilesRead">Files finished.</param>
/// <param name="TotalFiles">Files to read.</param>
public readonly record struct LoadProgress(long BytesRead, long TotalBytes, int FilesRead, int TotalFiles);

/// <summary>Which files training or evaluation steps come from.</summary>
public enum TraceKind
{
    /// <summary>Simtrace CSVs when there are any, else the robomaker/simulation logs.</summary>
    Auto,
    /// <summary>Simtrace CSV files.</summary>
    Simtrace,
    /// <summary>Robomaker/simulation logs (<c>SIM_TRACE_LOG</c> lines).</summary>
    Logs,
}
