namespace DeepRacer.Analysis.Metrics;

/// <summary>One row of the training metrics table, with the reference's columns (spec 4.3).</summary>
/// <param name="RoundIteration"><c>r-i</c>: zero-padded round and iteration, e.g. <c>01-005</c>.</param>
/// <param name="Round">Training round (1-based; one round per cloned model).</param>
/// <param name="Iteration">0-based iteration within the round: floor((episode − 1) / episodes per iteration).</param>
/// <param name="MasterIteration">Iteration counted across rounds.</param>
/// <param name="Episode">1-based episode of this worker.</param>
/// <param name="RoundEpisode"><c>r-e</c>: round (not padded) and zero-padded episode, e.g. <c>1-0042</c>.</param>
/// <param name="Worker">DRfC worker (0 for the console).</param>
/// <param name="Trial">Trial as written in the file.</param>
/// <param name="Phase">Training or in-training evaluation (<c>phase</c>: <c>training</c> or <c>evaluation</c>).</param>
/// <param name="Reward">Total reward.</param>
/// <param name="Completion">Progress in percent (integer).</param>
/// <param name="Time">Elapsed time in seconds.</param>
/// <param name="Complete">1 for a complete lap, else 0.</param>
/// <param name="StartTime">Simulation clock at the start, in ms.</param>
public readonly record struct MetricsRow(
    string RoundIteration,
    int Round,
    int Iteration,
    int MasterIteration,
    int Episode,
    string RoundEpisode,
    int Worker,
    int Trial,
    MetricsPhase Phase,
    double Reward,
    int Completion,
    double Time,
    int Complete,
    long StartTime)
{
    /// <summary>True for in-training evaluation rows.</summary>
    public bool IsEvaluation => Phase == MetricsPhase.Evaluation;

    /// <summary>True for training rows.</summary>
    public bool IsTraining => Phase == MetricsPhase.Training;
}

/// <summary>The phase of a metrics row; the files and the <c>phase</c> column write it in lower case.</summary>
public enum MetricsPhase
{
    /// <summary>A training episode (<c>training</c>).</summary>
    Training,

    /// <summary>An in-training evaluation episode, run after each iteration, worker 0 only (<c>evaluation</c>).</summary>
    Evaluation,
}

/// <summary>The <c>phase</c> text of <see cref="MetricsPhase"/>, as the files and the Python tools write it.</summary>
public static class MetricsPhaseNames
{
    /// <summary><c>training</c> or <c>evaluation</c>.</summary>
    public static string Name(this MetricsPhase phase) => phase == MetricsPhase.Evaluation ? "evaluation" : "training";

    /// <summary>The phase a file's <c>phase</c> text names, or null for any other text.</summary>
    public static MetricsPhase? Parse(string text) => text switch
    {
        "training" => MetricsPhase.Training,
        "evaluation" => MetricsPhase.Evaluation,
        _ => null,
    };
}

/// <summary>How <see cref="TrainingMetrics.GetSummary"/> aggregates the episodes of one iteration.</summary>
public enum SummaryMethod
{
    /// <summary>Arithmetic mean (completed = fraction of complete laps).</summary>
    Mean,
    /// <summary>Median (the mean of the two middle values for an even count, as pandas).</summary>
    Median,
    /// <summary>Minimum.</summary>
    Min,
    /// <summary>Maximum.</summary>
    Max,
}

/// <summary>Which rows a summary or chart uses (spec 4.5).</summary>
public sealed record MetricsFilter
{
    /// <summary>Only these rounds; null for all.</summary>
    public IReadOnlyCollection<int>? Rounds { get; init; }

    /// <summary>Only these workers; null for all.</summary>
    public IReadOnlyCollection<int>? Workers { get; init; }

    /// <summary>Only complete laps.</summary>
    public bool CompletedLapsOnly { get; init; }

    /// <summary>No filtering.</summary>
    public static MetricsFilter All { get; } = new();

    /// <summary>True when the row passes.</summary>
    public bool Accepts(in MetricsRow row) =>
        (Rounds is null || Rounds.Contains(row.Round))
        && (Workers is null || Workers.Contains(row.Worker))
        && (!CompletedLapsOnly || row.Complete == 1);
}

/// <summary>One row of the per-iteration summary (spec 4.5); NaN where an iteration has no rows of that phase.</summary>
/// <param name="RoundIteration"><c>r-i</c>.</param>
/// <param name="MasterIteration">Iteration across rounds.</param>
/// <param name="TrainReward">Aggregated training reward.</param>
/// <param name="TrainCompletion">Aggregated training completion (%).</param>
/// <param name="TrainTime">Aggregated training time (s).</param>
/// <param name="TrainCompleted">Aggregated complete flag (with mean: the fraction of complete laps).</param>
/// <param name="TrainEpisodes">Number of training episodes.</param>
/// <param name="EvalReward">Aggregated evaluation reward.</param>
/// <param name="EvalCompletion">Aggregated evaluation completion (%).</param>
/// <param name="EvalTime">Aggregated evaluation time (s).</param>
/// <param name="EvalCompleted">Aggregated evaluation complete flag.</param>
/// <param name="EvalEpisodes">Number of evaluation episodes (NaN when none, as pandas' outer join leaves it).</param>
public readonly record struct SummaryRow(
    string RoundIteration,
    int MasterIteration,
    double TrainReward,
    double TrainCompletion,
    double TrainTime,
    double TrainCompleted,
    double TrainEpisodes,
    double EvalReward,
    double EvalCompletion,
    double EvalTime,
    double EvalCompleted,
    double EvalEpisodes);
