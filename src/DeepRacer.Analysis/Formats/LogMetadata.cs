namespace DeepRacer.Analysis.Formats;

/// <summary>What a robomaker, simulation or sagemaker log says about its job in its header lines (spec 3.5).</summary>
public sealed record LogMetadata
{
    /// <summary>The hyper-parameter block, when the log has one.</summary>
    public Hyperparameters? Hyperparameters { get; init; }

    /// <summary>The last <c>Action space from file:</c> line.</summary>
    public ActionSpace? ActionSpace { get; init; }

    /// <summary>Sensors, network and simapp version from the first <c>Sensor list [...]</c> line.</summary>
    public AgentAndNetwork? Agent { get; init; }

    /// <summary>The world (track) the job ran on, with a <c>_cw</c>/<c>_ccw</c> suffix when the log names the direction.</summary>
    public string? WorldName { get; init; }

    /// <summary>Job description values: the ROS parameter dump (<c> * /JOB_TYPE: EVALUATION</c>) and the job dictionary line.</summary>
    public IReadOnlyDictionary<string, string> Job { get; init; } = new Dictionary<string, string>();

    /// <summary><c>TRAINING</c>, <c>EVALUATION</c>, ... when the log says.</summary>
    public string? JobType => Job.GetValueOrDefault("JOB_TYPE");
}
