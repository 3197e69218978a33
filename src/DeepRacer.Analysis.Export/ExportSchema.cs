using DeepRacer.Analysis.Catalog;

namespace DeepRacer.Analysis.Export;

/// <summary>One column of an exported table: its name (as the CLI prints it), its .NET type and what it means.</summary>
/// <param name="Name">Column name, the same as in <c>drlog steps/episodes/metrics --format json</c>.</param>
/// <param name="Type">The .NET element type (<see cref="float"/> stays float32 in Parquet, <see cref="short"/> is INT(16), ...).</param>
/// <param name="Meaning">One line for the schema document.</param>
public sealed record ExportColumn(string Name, Type Type, string Meaning);

/// <summary>The tables <c>drlog export</c> writes and their fixed columns (the partition column <c>model</c> comes from the path).</summary>
/// <remarks>
/// A fixed schema per table lets Athena, Spark and DuckDB read every model's files as one table: single-worker
/// models get <c>unique_episode</c> = <c>episode</c> and <c>worker</c> = 0 in <c>episodes</c>, where the CLI leaves
/// those two columns out.
/// </remarks>
public static class ExportSchema
{
    /// <summary>Every step of the training (simtrace, or the robomaker/simulation log when there is none).</summary>
    public const string Steps = "steps";

    /// <summary>One row per training episode (<c>drlog episodes</c>).</summary>
    public const string Episodes = "episodes";

    /// <summary>One row per episode of the training metrics JSON (<c>drlog metrics --episodes</c>).</summary>
    public const string Metrics = "metrics";

    /// <summary>The log catalog (<c>drlog logs list --all-columns</c>): one file for all models, no <c>model</c> partition.</summary>
    public const string Catalog = "catalog";

    /// <summary>The tables exported per model (<c>table=T/model=M/</c>), the default of an export.</summary>
    public static IReadOnlyList<string> ModelTables { get; } = [Steps, Episodes, Metrics];

    /// <summary>All tables, in export order.</summary>
    public static IReadOnlyList<string> Tables { get; } = [.. ModelTables, Catalog];

    private static readonly ExportColumn[] s_steps =
    [
        new("episode", typeof(int), "episode counter of the worker (0-based, continues across iterations)"),
        new("steps", typeof(int), "step number within the episode (1-based; 0-based in 2019 logs)"),
        new("x", typeof(float), "car position x, metres"),
        new("y", typeof(float), "car position y, metres"),
        new("yaw", typeof(float), "heading, degrees"),
        new("steering_angle", typeof(float), "steering angle of the action, degrees, positive = left"),
        new("speed", typeof(float), "commanded speed of the action, m/s"),
        new("action", typeof(short), "discrete action index; -1 for continuous action spaces"),
        new("reward", typeof(double), "reward of the step"),
        new("done", typeof(bool), "the episode ended at this step"),
        new("on_track", typeof(bool), "all wheels on the track"),
        new("progress", typeof(double), "lap progress, percent (100 on a completed lap)"),
        new("closest_waypoint", typeof(short), "index of the closest centre-line waypoint"),
        new("track_len", typeof(float), "track centre-line length, metres"),
        new("tstamp", typeof(double), "simulation clock, seconds"),
        new("episode_status", typeof(string), "simulator status: prepare, in_progress, off_track, lap_complete, crashed, ... (dictionary-encoded)"),
        new("pause_duration", typeof(float), "penalty pause, seconds; NaN where the source has none"),
        new("wall_clock", typeof(double), "host wall clock, Unix seconds; NaN where the source has none"),
        new("iteration", typeof(int), "training iteration (0-based)"),
        new("worker", typeof(byte), "DRfC simulation worker (0 with one worker)"),
        new("unique_episode", typeof(int), "episode number unique across workers; the sort key with steps"),
    ];

    private static readonly ExportColumn[] s_episodes =
    [
        new("iteration", typeof(int), "training iteration of the episode's first step"),
        new("episode", typeof(int), "episode counter of the worker"),
        new("steps", typeof(int), "max(steps) - min(steps) + 1"),
        new("start_at", typeof(int), "closest waypoint of the first step"),
        new("progress", typeof(double), "best progress, percent"),
        new("time", typeof(double), "sum of tstamp differences (0 on prepare rows), seconds"),
        new("dist", typeof(double), "sum of x/y distances between rows (0 on prepare rows), metres"),
        new("new_reward", typeof(double), "the logged reward (no reward replay has run)"),
        new("speed", typeof(double), "mean commanded speed, m/s"),
        new("reward", typeof(double), "sum of the step rewards"),
        new("time_if_complete", typeof(double), "time * 100 / progress"),
        new("reward_if_complete", typeof(double), "reward * 100 / progress"),
        new("quintile", typeof(string), "1st..5th: equal-width bins over the model's unique_episode (dictionary-encoded)"),
        new("complete", typeof(int), "1 when progress = 100"),
        new("unique_episode", typeof(int), "episode number unique across workers (= episode with one worker)"),
        new("worker", typeof(int), "DRfC simulation worker (0 with one worker)"),
        new("step_time_mean", typeof(double), "mean of the step time differences, seconds"),
        new("step_time_max", typeof(double), "largest step time difference, seconds"),
        new("step_time_std", typeof(double), "sample standard deviation of the step time differences, seconds"),
    ];

    private static readonly ExportColumn[] s_metrics =
    [
        new("r-i", typeof(string), "round-iteration, e.g. 01-005"),
        new("round", typeof(int), "round (1-based; one per cloned source)"),
        new("iteration", typeof(int), "iteration within the round"),
        new("master_iteration", typeof(int), "iteration counted across rounds"),
        new("episode", typeof(int), "episode number of the metrics element"),
        new("r-e", typeof(string), "round-episode"),
        new("worker", typeof(int), "worker whose metrics file holds the row"),
        new("trial", typeof(int), "trial of an evaluation"),
        new("phase", typeof(string), "training or evaluation (dictionary-encoded)"),
        new("reward", typeof(double), "episode reward"),
        new("completion", typeof(int), "completion percentage"),
        new("time", typeof(double), "episode time, seconds"),
        new("complete", typeof(int), "1 when the lap was completed"),
        new("start_time", typeof(long), "simulation clock at the episode start, milliseconds"),
    ];

    private static readonly Dictionary<string, string> s_catalogMeanings = new(StringComparer.Ordinal)
    {
        ["source"] = "catalog database: cloudwatch or local_training",
        ["id"] = "log id (simulation or training job id)",
        ["model_name"] = "model the log belongs to",
        ["log_type"] = "training-job, simulation-job, evaluation or leaderboard",
        ["world_name"] = "simulator world",
        ["cloned"] = "the model was cloned from another (true/false)",
        ["fetched_at"] = "when the log was fetched or imported, ISO 8601 UTC",
        ["first_event_timestamp"] = "first log event, ISO 8601 UTC",
        ["last_event_timestamp"] = "last log event, ISO 8601 UTC",
        ["loss_type"] = "hyper-parameter loss_type (huber, mean squared error)",
        ["training_job_duration"] = "seconds between the first and last event",
        ["s3_bucket"] = "bucket of the model's artifacts",
        ["s3_prefix"] = "prefix of the model's artifacts",
        ["status"] = "ok, invalid or incomplete",
        ["status_reason"] = "why the status is not ok",
        ["events"] = "log lines in the file",
        ["bytes"] = "size of the log file",
        ["sha256"] = "SHA-256 of the log file",
        ["track"] = "track (from the world name)",
    };

    /// <summary>The catalog's columns: numbers as float64 (NaN when empty), the rest as strings (null when empty).</summary>
    private static readonly ExportColumn[] s_catalog =
    [
        .. CatalogTable.AllColumns.Select(c => new ExportColumn(
            c,
            CatalogTable.IsNumeric(c) ? typeof(double) : typeof(string),
            s_catalogMeanings.GetValueOrDefault(c) ?? $"action space or hyper-parameter {c}")),
    ];

    /// <summary>The columns of a table, in file order.</summary>
    /// <exception cref="ArgumentException">Unknown table.</exception>
    public static IReadOnlyList<ExportColumn> Columns(string table) => table switch
    {
        Steps => s_steps,
        Episodes => s_episodes,
        Metrics => s_metrics,
        Catalog => s_catalog,
        _ => throw new ArgumentException($"No table '{table}'; tables are {string.Join(", ", Tables)}.", nameof(table)),
    };
}
