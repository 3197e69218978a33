namespace DeepRacer.Analysis.Common;

/// <summary>
/// A problem with the user's input (a missing file, an unrecognised folder, a bad JSON file,
/// S3 access): its message is one line that names the thing and says what to do, in the library's terms.
/// </summary>
/// <remarks>
/// Problems a front end may word in its own terms (a command-line flag, a button) carry structured data:
/// <see cref="Problem"/> says which, <see cref="Description"/> what went wrong without the remedy,
/// <see cref="Subject"/> what was asked for or missing, and <see cref="Candidates"/> what was found near it.
/// </remarks>
public class DeepRacerLogException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public DeepRacerLogException(string message) : base(message) => Description = message;

    /// <summary>Creates the exception with its one-line message and the underlying cause.</summary>
    public DeepRacerLogException(string message, Exception innerException) : base(message, innerException) => Description = message;

    /// <summary>Creates an exception for a known kind of problem: the message is <paramref name="description"/>, then <paramref name="remedy"/>.</summary>
    /// <param name="problem">Which problem.</param>
    /// <param name="description">What went wrong, without what to do.</param>
    /// <param name="remedy">What to do, in API terms.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public DeepRacerLogException(InputProblem problem, string description, string remedy, Exception? innerException = null)
        : base($"{description}; {remedy}.", innerException)
    {
        Problem = problem;
        Description = description;
    }

    /// <summary>Which kind of problem; <see cref="InputProblem.Other"/> when the message is all there is.</summary>
    public InputProblem Problem { get; }

    /// <summary>What went wrong, without the remedy (the whole message for <see cref="InputProblem.Other"/>).</summary>
    public string Description { get; }

    /// <summary>What was asked for or is missing: a track name or file, a world name, a chart, a file.</summary>
    public string? Subject { get; init; }

    /// <summary>What was found near <see cref="Subject"/>, best first (near track names, nearest track lengths).</summary>
    public IReadOnlyList<string> Candidates { get; init; } = [];
}

/// <summary>Kinds of input problem that a front end may explain in its own terms.</summary>
public enum InputProblem
{
    /// <summary>Any other problem; the message says it all.</summary>
    Other,
    /// <summary>No track is known for the logs: they name none, or one that is not shipped, and no shipped track matches the positions.</summary>
    TrackUnknown,
    /// <summary>A track name given by the caller matches no shipped track.</summary>
    TrackNameUnknown,
    /// <summary>A track <c>.npy</c> file given by the caller does not exist.</summary>
    TrackFileMissing,
    /// <summary>A chart or analysis needs the track, and none was given or found.</summary>
    TrackRequired,
    /// <summary>A chart or analysis needs evaluation steps and got training steps.</summary>
    EvaluationRequired,
    /// <summary>A metrics file is empty or its JSON stops early (an upload in progress); reading it again later helps.</summary>
    MetricsIncomplete,
    /// <summary>A log meant to hold steps has none (a trainer log, or a job that failed before its first episode).</summary>
    NoStepsInLog,
}
