namespace DrLog.Output;

/// <summary>How results are printed.</summary>
internal enum OutputFormat
{
    /// <summary>A table for people.</summary>
    Table,
    /// <summary>CSV with the Python tools' column names, full precision.</summary>
    Csv,
    /// <summary>A JSON array of objects keyed by column name, full precision.</summary>
    Json,
}
