namespace DeepRacer.Analysis.Catalog;

/// <summary>The CloudWatch log groups DeepRacer writes to.</summary>
public enum CloudWatchGroup
{
    /// <summary><c>/aws/robomaker/SimulationJobs</c>: training simulations and evaluations.</summary>
    Robomaker,

    /// <summary><c>/aws/sagemaker/TrainingJobs</c>: the trainers.</summary>
    Sagemaker,

    /// <summary><c>/aws/deepracer/leaderboard/SimulationJobs</c>: leaderboard submissions.</summary>
    Leaderboard,
}

/// <summary>A catalogued log: its row, which database holds it and where its file is.</summary>
/// <param name="Row">The CSV row.</param>
/// <param name="Database"><c>cloudwatch</c> or <c>local_training</c>.</param>
/// <param name="FilePath">The log file.</param>
public sealed record CatalogEntry(CatalogRow Row, string Database, string FilePath);

/// <summary>Progress of a fetch or import: one item (log) at a time.</summary>
/// <param name="Item">The log being worked on.</param>
/// <param name="Done">Logs finished.</param>
/// <param name="Total">Logs to do.</param>
/// <param name="Bytes">Bytes written so far for the current log.</param>
public readonly record struct CatalogProgress(string Item, int Done, int Total, long Bytes);

/// <summary>What a fetch is asked to do.</summary>
public sealed record FetchRequest
{
    /// <summary>Groups to read.</summary>
    public IReadOnlyList<CloudWatchGroup> Groups { get; init; } = [CloudWatchGroup.Robomaker, CloudWatchGroup.Sagemaker, CloudWatchGroup.Leaderboard];

    /// <summary>Only streams with events at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only streams with events at or before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only these job ids (stream name prefixes).</summary>
    public IReadOnlyList<string> Ids { get; init; } = [];

    /// <summary>Download again even when the catalog already has a complete copy.</summary>
    public bool Force { get; init; }
}

/// <summary>How one log of a fetch or import ended.</summary>
/// <param name="Key"><c>&lt;log-type&gt;-&lt;id&gt;</c>, or the stream/file name when that is not known.</param>
/// <param name="Outcome"><c>fetched</c>, <c>imported</c>, <c>skipped</c> (already complete) or <c>failed</c>.</param>
/// <param name="Status">The row's status, when a row was written.</param>
/// <param name="Message">Details: the invalid reason or the error.</param>
public sealed record CatalogItemResult(string Key, string Outcome, CatalogStatus? Status, string? Message);

/// <summary>A problem <see cref="LogCatalog.Verify"/> found.</summary>
/// <param name="Key">Row key or file name.</param>
/// <param name="Path">The file concerned.</param>
/// <param name="Problem">What is wrong.</param>
public sealed record CatalogProblem(string Key, string Path, string Problem);
