using DeepRacer.Analysis.Formats;

namespace DeepRacer.Analysis;

/// <summary>What is known about a model: from model_metadata.json and hyperparameters.json, else from a log's header.</summary>
public sealed record ModelInfo
{
    /// <summary>Training hyperparameters.</summary>
    public Hyperparameters? Hyperparameters { get; init; }

    /// <summary>Action space.</summary>
    public ActionSpace? ActionSpace { get; init; }

    /// <summary>Sensors, network, simapp version.</summary>
    public AgentAndNetwork? Agent { get; init; }

    /// <summary>Track (world) name, when a log names it.</summary>
    public string? WorldName { get; init; }

    /// <summary>Job description from a log header (job type, race type, trials, model name...).</summary>
    public IReadOnlyDictionary<string, string> Job { get; init; } = new Dictionary<string, string>();

    /// <summary>Files the information came from.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
}
