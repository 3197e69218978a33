namespace DeepRacer.Analysis.Common;

/// <summary>The layout of a model's logs (spec 1.1). Numeric values are the reference's, for interop.</summary>
public enum FolderType
{
    /// <summary>Old AWS DeepRacer console "download logs" export.</summary>
    ConsoleModelWithLogs = 0,
    /// <summary>DeepRacer-for-Cloud model prefix, one simulation worker.</summary>
    DrfcModelSingleWorkers = 1,
    /// <summary>DeepRacer-for-Cloud model prefix, one numbered sub-folder per worker.</summary>
    DrfcModelMultipleWorkers = 2,
    /// <summary>Nothing recognised.</summary>
    UnknownFolder = 3,
    /// <summary>A DRfC model without training traces (uploaded or imported for evaluation).</summary>
    DrfcModelUpload = 4,
    /// <summary>New console / DeepRacer-on-AWS solution export, including evaluation-only exports.</summary>
    DroaSolutionLogs = 5,
    /// <summary>A single simtrace <c>.csv</c> or robomaker/simulation <c>.log</c> file (not in the reference).</summary>
    SingleFile = 6,
}
