namespace DeepRacer.Analysis.Catalog;

/// <summary>The CloudWatch log groups DeepRacer writes to: the original console's, DeepRacer on AWS's and DRfC's.</summary>
public enum CloudWatchGroup
{
    /// <summary><c>/aws/robomaker/SimulationJobs</c>: training simulations and evaluations.</summary>
    Robomaker,

    /// <summary><c>/aws/sagemaker/TrainingJobs</c>: the trainers.</summary>
    Sagemaker,

    /// <summary><c>/aws/deepracer/leaderboard/SimulationJobs</c>: leaderboard submissions.</summary>
    Leaderboard,

    /// <summary>DeepRacer on AWS <c>/aws/deepracer/training/TrainingJobs</c>: training jobs' trainer side.</summary>
    DroaTraining,

    /// <summary>DeepRacer on AWS <c>/aws/deepracer/training/SimulationJobs</c>: training jobs' simulation side.</summary>
    DroaSimulation,

    /// <summary>DeepRacer-for-Cloud <c>/deepracer-for-cloud</c> (<c>DR_CLOUD_WATCH_ENABLE</c>): one stream per container.</summary>
    Drfc,
}

/// <summary>Which DeepRacer's log groups a fetch reads.</summary>
public enum LogOrigin
{
    /// <summary>Every group below.</summary>
    All,

    /// <summary>The original DeepRacer console: RoboMaker, SageMaker and leaderboard groups.</summary>
    Console,

    /// <summary>DeepRacer on AWS: its two training groups, and <c>/aws/sagemaker/TrainingJobs</c> for evaluations and submissions.</summary>
    Droa,

    /// <summary>DeepRacer-for-Cloud's <c>/deepracer-for-cloud</c> group.</summary>
    Drfc,
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
    /// <summary>Groups to read: by default every group of <see cref="CloudWatchGroup"/>; those the account lacks are reported, not fatal.</summary>
    public IReadOnlyList<CloudWatchGroup> Groups { get; init; } = LogCatalog.GroupsOf(LogOrigin.All);

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
/// <param name="Outcome">Fetched, imported, skipped (already complete) or failed.</param>
/// <param name="Status">The row's status, when a row was written.</param>
/// <param name="Message">Details: the invalid reason or the error.</param>
public sealed record CatalogItemResult(string Key, CatalogOutcome Outcome, CatalogStatus? Status, string? Message);

/// <summary>How one log of a fetch or import ended.</summary>
public enum CatalogOutcome
{
    /// <summary>Downloaded from CloudWatch.</summary>
    Fetched,

    /// <summary>Copied from a local file or standard input.</summary>
    Imported,

    /// <summary>The catalog already holds a complete copy.</summary>
    Skipped,

    /// <summary>The download failed; the row is marked incomplete.</summary>
    Failed,

    /// <summary>The log group does not exist in the account and region (the key is the group name).</summary>
    NoGroup,
}

/// <summary>What a fetch or import did, counted by outcome.</summary>
/// <param name="Done">Logs fetched or imported.</param>
/// <param name="Skipped">Logs already complete.</param>
/// <param name="Failed">Logs that failed (marked incomplete).</param>
public readonly record struct CatalogSummary(int Done, int Skipped, int Failed)
{
    /// <summary>Counts the outcomes of a run.</summary>
    public static CatalogSummary Of(IEnumerable<CatalogItemResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        int done = 0, skipped = 0, failed = 0;
        foreach (var r in results)
        {
            _ = r.Outcome switch
            {
                CatalogOutcome.Skipped => skipped++,
                CatalogOutcome.Failed => failed++,
                CatalogOutcome.NoGroup => 0,
                _ => done++,
            };
        }

        return new CatalogSummary(done, skipped, failed);
    }
}

/// <summary>A problem <see cref="LogCatalog.Verify"/> found.</summary>
/// <param name="Key">Row key or file name.</param>
/// <param name="Path">The file concerned.</param>
/// <param name="Problem">What is wrong.</param>
public sealed record CatalogProblem(string Key, string Path, string Problem);
