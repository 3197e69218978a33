namespace DeepRacer.Analysis.Rewards;

/// <summary>What went wrong with a reward function or the interpreter that runs it.</summary>
public enum RewardErrorKind
{
    /// <summary>The Python interpreter could not be started.</summary>
    PythonNotFound,
    /// <summary>The function's file does not exist.</summary>
    FileNotFound,
    /// <summary>Importing the file failed (a syntax error, a failing import).</summary>
    LoadFailed,
    /// <summary>The file defines no <c>reward_function</c>.</summary>
    NoFunction,
    /// <summary>The function raised an exception on a step.</summary>
    Raised,
    /// <summary>The function returned something that is not a number.</summary>
    NotANumber,
    /// <summary>The function returned NaN or an infinity.</summary>
    NotFinite,
    /// <summary>A batch of steps did not come back in time (the function hangs or is very slow).</summary>
    Timeout,
    /// <summary>The interpreter process ended unexpectedly.</summary>
    WorkerExited,
}

/// <summary>
/// A reward function could not be run, or failed on a step. The message's first line says what and where; for a
/// failing step the next lines hold the params it was given and the Python traceback.
/// </summary>
public sealed class RewardFunctionException : DeepRacerLogException
{
    /// <summary>Creates the exception.</summary>
    public RewardFunctionException(RewardErrorKind kind, string message, StepLocation? step = null, RewardParams? parameters = null, string? details = null)
        : base(Compose(message, parameters, details))
    {
        Kind = kind;
        Step = step;
        Parameters = parameters;
        Details = details;
    }

    /// <summary>What went wrong.</summary>
    public RewardErrorKind Kind { get; }

    /// <summary>The step the function failed on, if any.</summary>
    public StepLocation? Step { get; }

    /// <summary>The params the function was given on that step.</summary>
    public RewardParams? Parameters { get; }

    /// <summary>The Python traceback or the returned value, if any.</summary>
    public string? Details { get; }

    private static string Compose(string message, RewardParams? parameters, string? details)
    {
        var text = message;
        if (parameters is not null)
        {
            text += Environment.NewLine + "params: " + parameters;
        }

        if (!string.IsNullOrWhiteSpace(details))
        {
            text += Environment.NewLine + details.TrimEnd();
        }

        return text;
    }
}

/// <summary>Where a step is: training iteration, episode and step, or the evaluation stream.</summary>
/// <param name="Iteration">Training iteration (evaluation: 0).</param>
/// <param name="Episode">Episode of the worker (or of the stream).</param>
/// <param name="Step">The step counter.</param>
/// <param name="Worker">DRfC worker, or null with one worker.</param>
/// <param name="Stream">Evaluation stream, or null for training.</param>
public sealed record StepLocation(int Iteration, int Episode, int Step, int? Worker = null, string? Stream = null)
{
    /// <inheritdoc/>
    public override string ToString() =>
        (Stream is null ? $"iteration {Iteration}, " : $"stream {Stream}, ")
        + (Worker is { } w ? $"worker {w}, " : string.Empty)
        + $"episode {Episode}, step {Step}";
}
