namespace DeepRacer.Analysis.Catalog;

/// <summary>The kinds of log the catalog holds, as written in its <c>log_type</c> column.</summary>
public static class CatalogLogType
{
    /// <summary>The SageMaker trainer log (<c>/aws/sagemaker/TrainingJobs</c>, <c>*-sagemaker.log</c>).</summary>
    public const string TrainingJob = "training-job";

    /// <summary>The RoboMaker/simulation side of a training (<c>JOB_TYPE: TRAINING</c>).</summary>
    public const string SimulationJob = "simulation-job";

    /// <summary>A stand-alone evaluation run.</summary>
    public const string Evaluation = "evaluation";

    /// <summary>A leaderboard submission run.</summary>
    public const string Leaderboard = "leaderboard";

    /// <summary>All four, in the order the docs list them.</summary>
    public static IReadOnlyList<string> All { get; } = [TrainingJob, SimulationJob, Evaluation, Leaderboard];
}

/// <summary>Whether a catalogued log can be trusted.</summary>
public enum CatalogStatus
{
    /// <summary>Complete and recognised.</summary>
    Ok,

    /// <summary>Complete, but the job failed or the log is not a DeepRacer job log; <see cref="CatalogRow.StatusReason"/> says why. The file is kept.</summary>
    Invalid,

    /// <summary>The download was interrupted or the file no longer matches its row; the next fetch repairs it.</summary>
    Incomplete,
}

/// <summary>One log in the catalog database: one CSV row.</summary>
public sealed record CatalogRow
{
    /// <summary>Columns a user added by hand, by name; written back after ours, never dropped.</summary>
    /// <remarks>Rows without such columns share one empty instance, so record equality still holds for them.</remarks>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Job id: the RoboMaker simulation job id (<c>sim-...</c>), the SageMaker training job name, or the id in a local file's name.</summary>
    public required string Id { get; init; }

    /// <summary>Model name; for evaluation and leaderboard logs taken from the training of the same model (same S3 prefix).</summary>
    public string? ModelName { get; init; }

    /// <summary>One of <see cref="CatalogLogType"/>.</summary>
    public required string LogType { get; init; }

    /// <summary>World (track) name as the log gives it.</summary>
    public string? WorldName { get; init; }

    /// <summary>True when the model was trained from another one (pretrained checkpoint), false when from scratch, null when unknown.</summary>
    public bool? Cloned { get; init; }

    /// <summary>When the log was downloaded or imported.</summary>
    public DateTimeOffset? FetchedAt { get; init; }

    /// <summary>Time of the first log event.</summary>
    public DateTimeOffset? FirstEventTimestamp { get; init; }

    /// <summary>Time of the last log event.</summary>
    public DateTimeOffset? LastEventTimestamp { get; init; }

    /// <summary>Largest absolute steering angle of the action space, degrees.</summary>
    public double? MaxSteeringAngle { get; init; }

    /// <summary>Number of distinct steering angles (discrete spaces only).</summary>
    public int? SteeringAngleGranularity { get; init; }

    /// <summary>Highest speed of the action space, m/s.</summary>
    public double? MaxSpeed { get; init; }

    /// <summary>Number of distinct speeds (discrete spaces only).</summary>
    public int? SpeedGranularity { get; init; }

    /// <summary>Hyperparameter <c>batch_size</c>.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Hyperparameter <c>beta_entropy</c>.</summary>
    public double? BetaEntropy { get; init; }

    /// <summary>Hyperparameter <c>discount_factor</c>.</summary>
    public double? DiscountFactor { get; init; }

    /// <summary>Hyperparameter <c>loss_type</c>.</summary>
    public string? LossType { get; init; }

    /// <summary>Hyperparameter <c>lr</c>.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Hyperparameter <c>num_epochs</c>.</summary>
    public int? NumEpochs { get; init; }

    /// <summary>Hyperparameter <c>num_episodes_between_training</c>.</summary>
    public int? NumEpisodesBetweenTraining { get; init; }

    /// <summary>Number of trials of an evaluation or leaderboard run.</summary>
    public int? NTrials { get; init; }

    /// <summary>Seconds from the first to the last event.</summary>
    public double? TrainingJobDuration { get; init; }

    /// <summary>The model's S3 bucket.</summary>
    public string? S3Bucket { get; init; }

    /// <summary>The model's S3 prefix (without a trailing slash): the key that ties evaluations to their training.</summary>
    public string? S3Prefix { get; init; }

    /// <summary>ok, invalid or incomplete.</summary>
    public CatalogStatus Status { get; init; }

    /// <summary>Why the row is invalid or incomplete.</summary>
    public string? StatusReason { get; init; }

    /// <summary>Log events (lines) in the file.</summary>
    public long? Events { get; init; }

    /// <summary>Size of the file in bytes.</summary>
    public long? Bytes { get; init; }

    /// <summary>SHA-256 of the file, lower-case hex.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The shipped track file (without <c>.npy</c>) the world name maps to, see <see cref="CatalogTracks"/>.</summary>
    public string? Track { get; init; }

    /// <summary>The log's file name inside its folder: <c>&lt;log-type&gt;-&lt;id&gt;.log</c>.</summary>
    public string FileName => $"{LogType}-{Id}.log";

    /// <summary>The catalog key: the type and id, as in the file name.</summary>
    public string Key => $"{LogType}-{Id}";
}
