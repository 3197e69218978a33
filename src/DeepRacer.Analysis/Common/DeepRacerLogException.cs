namespace DeepRacer.Analysis.Common;

/// <summary>
/// A problem with the user's input (a missing file, an unrecognised folder, a bad JSON file,
/// S3 access): its message is one line that names the thing and says what to do, in the library's terms.
/// </summary>
/// <remarks>
/// Problems a front end may word in its own terms (a command-line flag, a button) carry structured data:
/// <see cref="Problem"/> says which, <see cref="Description"/> what went wrong without the remedy,
/// <see cref="Subject"/> what was asked for or missing, and <see cref="Candidates"/> what was found near it.
/// A message that names a setting (a profile, an endpoint) keeps it as an <see cref="InputSetting"/> in
/// <see cref="Settings"/>, and <see cref="Format"/> words the same message with the front end's name for each.
/// </remarks>
public class DeepRacerLogException : Exception
{
    private readonly FormattableString? _message;

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

    /// <summary>
    /// Creates an exception whose message names settings: each <see cref="InputSetting"/> argument of
    /// <paramref name="message"/> reads "the Profile option" here, and whatever a front end calls it in <see cref="Format"/>.
    /// </summary>
    /// <param name="problem">Which problem.</param>
    /// <param name="message">The one-line message, with the settings it names as <see cref="InputSetting"/> arguments.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public DeepRacerLogException(InputProblem problem, FormattableString message, Exception? innerException = null)
        : base(Render(message, ApiName), innerException)
    {
        Problem = problem;
        Description = Message;
        _message = message;
        Settings = [.. message.GetArguments().OfType<InputSetting>().Distinct()];
    }

    /// <summary>Which kind of problem; <see cref="InputProblem.Other"/> when the message is all there is.</summary>
    public InputProblem Problem { get; }

    /// <summary>What went wrong, without the remedy (the whole message for <see cref="InputProblem.Other"/>).</summary>
    public string Description { get; }

    /// <summary>What was asked for or is missing: a track name or file, a world name, a chart, a file.</summary>
    public string? Subject { get; init; }

    /// <summary>What was found near <see cref="Subject"/>, best first (near track names, nearest track lengths).</summary>
    public IReadOnlyList<string> Candidates { get; init; } = [];

    /// <summary>The settings the message names (the profile, the region, the endpoint, the track), in its order.</summary>
    public IReadOnlyList<InputSetting> Settings { get; } = [];

    /// <summary>
    /// The message with each setting it names worded by <paramref name="name"/> (a command-line flag, a field of a form);
    /// the message itself when it names none.
    /// </summary>
    /// <param name="name">A front end's name for a setting, as it would appear in the sentence.</param>
    public string Format(Func<InputSetting, string> name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _message is null ? Message : Render(_message, name);
    }

    private static string ApiName(InputSetting setting) => $"the {setting} option";

    private static string Render(FormattableString message, Func<InputSetting, string> name) =>
        string.Format(
            System.Globalization.CultureInfo.InvariantCulture,
            message.Format,
            [.. message.GetArguments().Select(a => a is InputSetting s ? name(s) : a)]);
}

/// <summary>
/// Settings a message may tell the caller to give, check or drop, named in the API as the option properties
/// (<c>S3Options.Profile</c>, <c>CloudWatchOptions.Region</c>, <c>EndpointUrl</c>, a track).
/// </summary>
public enum InputSetting
{
    /// <summary>The AWS profile (<c>Profile</c> of the S3 and CloudWatch options).</summary>
    Profile,
    /// <summary>The AWS region (<c>Region</c> of the S3 and CloudWatch options).</summary>
    Region,
    /// <summary>The endpoint URL of an S3-compatible server or a CloudWatch Logs emulator (<c>EndpointUrl</c>).</summary>
    EndpointUrl,
    /// <summary>The track, by shipped name or <c>.npy</c> file.</summary>
    Track,
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
    /// <summary>The AWS profile asked for is in neither <c>~/.aws/credentials</c> nor <c>~/.aws/config</c>; <see cref="DeepRacerLogException.Subject"/> is its name.</summary>
    AwsProfileNotFound,
    /// <summary>No AWS region is given or configured.</summary>
    AwsRegionMissing,
    /// <summary>No AWS credentials, or credentials the service rejects or that do not allow the read.</summary>
    AwsCredentials,
    /// <summary>The endpoint URL is not an http(s) URL; <see cref="DeepRacerLogException.Subject"/> is the URL.</summary>
    EndpointInvalid,
    /// <summary>The endpoint does not answer; <see cref="DeepRacerLogException.Subject"/> is the endpoint.</summary>
    EndpointUnreachable,
}
