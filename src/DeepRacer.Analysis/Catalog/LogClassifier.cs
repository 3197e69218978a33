using System.Text;
using System.Text.RegularExpressions;
using DeepRacer.Analysis.Formats;

namespace DeepRacer.Analysis.Catalog;

/// <summary>What one log says about itself: its kind, model, track, action space, hyperparameters and S3 location.</summary>
public sealed record LogFacts
{
    /// <summary>One of <see cref="CatalogLogType"/>, or null when the log does not say (no job description line).</summary>
    public string? LogType { get; init; }

    /// <summary>True when the log has a job description: the job dictionary, ROS <c>JOB_TYPE</c> or SageMaker worker arguments.</summary>
    public bool HasJobDescription { get; init; }

    /// <summary>The model name the log itself gives (<c>MODEL_NAME</c>).</summary>
    public string? ModelName { get; init; }

    /// <summary>Header metadata: world, action space, hyperparameters, job dictionary.</summary>
    public required LogMetadata Metadata { get; init; }

    /// <summary><c>NUMBER_OF_TRIALS</c>.</summary>
    public int? NTrials { get; init; }

    /// <summary>The model's bucket.</summary>
    public string? S3Bucket { get; init; }

    /// <summary>The model's prefix, without a trailing slash.</summary>
    public string? S3Prefix { get; init; }

    /// <summary>Trained from a pretrained model (SageMaker <c>pretrained_s3_bucket</c>/<c>PRETRAINED_*</c> settings), when the log says.</summary>
    public bool? Cloned { get; init; }

    /// <summary><c>SIM_TRACE_LOG</c> lines.</summary>
    public long Steps { get; init; }

    /// <summary>Finished episodes (<c>Training&gt;</c>, <c>Testing&gt;</c> or <c>Testing -</c> lines).</summary>
    public long Episodes { get; init; }

    /// <summary>Lines.</summary>
    public long Lines { get; init; }

    /// <summary>Earliest and latest ROS 2 log time stamp (<c>[INFO] [1772822223.88]</c>), when lines carry them.</summary>
    public (DateTimeOffset First, DateTimeOffset Last)? LineTimes { get; init; }

    /// <summary>Why the log is invalid, or null when it is a usable job log.</summary>
    public string? InvalidReason => !HasJobDescription ? "no job description line"
        : Episodes == 0 && Steps == 0 ? "job failed before first episode"
        : null;
}

/// <summary>Reads a log one line at a time and works out its <see cref="LogFacts"/> (spec 3.5, 3.7).</summary>
public sealed partial class LogClassifier
{
    private readonly LogMetadataParser _metadata;
    private readonly Dictionary<string, string> _env = new(StringComparer.Ordinal);
    private string? _workerArgs;
    private string? _s3Bucket;
    private string? _s3Prefix;
    private int? _trials;
    private long _steps;
    private long _episodes;
    private long _lines;
    private double _firstTime = double.MaxValue;
    private double _lastTime = double.MinValue;
    private bool _leaderboardHint;
    private bool _policyTraining;

    /// <summary>Starts a classifier; <paramref name="source"/> names the log in messages.</summary>
    public LogClassifier(string source) => _metadata = new LogMetadataParser(source);

    /// <summary>Lines seen so far.</summary>
    public long Lines => _lines;

    /// <summary>Feeds one line (without its newline).</summary>
    public void Add(ReadOnlySpan<byte> rawLine)
    {
        _lines++;
        if (rawLine.IndexOf("SIM_TRACE_LOG:"u8) >= 0)
        {
            // The bulk of a log: count it and move on.
            _steps++;
            return;
        }

        var line = LogMetadataParser.StripPrefixes(rawLine);
        if (line.StartsWith("Policy training>"u8))
        {
            _policyTraining = true;
            return;
        }

        if (line.StartsWith("Training>"u8) || line.StartsWith("Testing>"u8) || line.StartsWith("Testing - "u8))
        {
            _episodes++;
            return;
        }

        if (rawLine.IndexOf("] ["u8) >= 0)
        {
            ReadRosTime(rawLine);
        }

        _metadata.Add(rawLine);
        if (line.StartsWith("Training Worker Args: "u8))
        {
            _workerArgs = Encoding.UTF8.GetString(line);
        }
        else if (line.StartsWith("S3 bucket: "u8))
        {
            _s3Bucket ??= Encoding.UTF8.GetString(line["S3 bucket: ".Length..]).Trim();
        }
        else if (line.StartsWith("S3 prefix: "u8))
        {
            _s3Prefix ??= Encoding.UTF8.GetString(line["S3 prefix: ".Length..]).Trim();
        }
        else if (line.StartsWith("{'"u8))
        {
            // Numbers are unquoted in DROA's dictionary ('NUMBER_OF_TRIALS': 3), which the metadata parser skips.
            var text = Encoding.UTF8.GetString(line);
            if (TrialsInDict().Match(text) is { Success: true } m)
            {
                _trials ??= int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            }

            foreach (Match list in ListEntry().Matches(text))
            {
                _env.TryAdd(list.Groups[1].Value, list.Groups[2].Value);
            }

            _leaderboardHint |= text.Contains("'LEADERBOARD_", StringComparison.Ordinal);
        }
        else if (line.Length > 0 && line[0] is >= (byte)'A' and <= (byte)'Z' && line.IndexOf((byte)'=') is var eq and > 0 && line[..eq].IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"u8) < 0)
        {
            // The environment dump at the top of console robomaker logs (NUMBER_OF_TRIALS=3, MODEL_S3_PREFIX=...).
            _env.TryAdd(Encoding.UTF8.GetString(line[..eq]), Encoding.UTF8.GetString(line[(eq + 1)..]).Trim());
        }
    }

    /// <summary>Feeds a whole text (tests, small logs).</summary>
    public void AddText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var line in text.Split('\n'))
        {
            Add(Encoding.UTF8.GetBytes(line.TrimEnd('\r')));
        }
    }

    /// <summary>The facts collected so far.</summary>
    public LogFacts Build()
    {
        var metadata = _metadata.Build();
        var job = metadata.Job;
        string? type = null;
        if (_workerArgs is not null || (_policyTraining && metadata.JobType is null))
        {
            // Only a trainer runs policy updates: a trainer log without its worker-arguments line is still a trainer log.
            type = CatalogLogType.TrainingJob;
        }
        else if (metadata.JobType is { } jobType)
        {
            // DeepRacer on AWS runs submissions as evaluations; only their metrics key (metrics/submission/...) tells them apart.
            var metricsKey = job.GetValueOrDefault("METRICS_S3_OBJECT_KEY") ?? _env.GetValueOrDefault("METRICS_S3_OBJECT_KEY");
            var leaderboard = _leaderboardHint
                || job.GetValueOrDefault("VIDEO_JOB_TYPE") == "RACING"
                || job.ContainsKey("LEADERBOARD_NAME")
                || metricsKey?.StartsWith("leaderboard/", StringComparison.Ordinal) == true
                || metricsKey?.Contains("/metrics/submission/", StringComparison.Ordinal) == true;
            type = jobType switch
            {
                "TRAINING" => CatalogLogType.SimulationJob,
                "EVALUATION" => leaderboard ? CatalogLogType.Leaderboard : CatalogLogType.Evaluation,
                _ => null,
            };
        }

        var bucket = _s3Bucket ?? Arg("s3_bucket") ?? Env("MODEL_S3_BUCKET") ?? Env("SAGEMAKER_SHARED_S3_BUCKET");
        var prefix = _s3Prefix ?? Arg("s3_prefix") ?? Env("MODEL_S3_PREFIX") ?? Env("SAGEMAKER_SHARED_S3_PREFIX");
        var trials = _trials ?? (int.TryParse(Env("NUMBER_OF_TRIALS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : null);
        bool? cloned = null;
        if (_workerArgs is not null)
        {
            // pretrained_s3_bucket=None means a model trained from scratch; a bucket name means it was cloned.
            cloned = Arg("pretrained_s3_bucket") is { } pretrained && pretrained != "None";
        }
        else if (Env("PRETRAINED_S3_BUCKET") is { } pb || job.TryGetValue("PRETRAINED_S3_BUCKET", out pb))
        {
            cloned = pb.Length > 0 && pb != "None";
        }

        return new LogFacts
        {
            LogType = type,
            HasJobDescription = type is not null,
            ModelName = job.GetValueOrDefault("MODEL_NAME"),
            Metadata = metadata,
            NTrials = type is CatalogLogType.Evaluation or CatalogLogType.Leaderboard ? trials : null,
            S3Bucket = Blank(bucket),
            S3Prefix = Blank(prefix?.Trim().TrimEnd('/')),
            Cloned = cloned,
            Steps = _steps,
            Episodes = _episodes,
            Lines = _lines,
            LineTimes = _firstTime <= _lastTime
                ? (DateTimeOffset.FromUnixTimeMilliseconds((long)(_firstTime * 1000)), DateTimeOffset.FromUnixTimeMilliseconds((long)(_lastTime * 1000)))
                : null,
        };
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private string? Env(string key) => _env.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

    private string? Arg(string name)
    {
        if (_workerArgs is null)
        {
            return null;
        }

        var m = Regex.Match(_workerArgs, $@"[(, ]{Regex.Escape(name)}=('([^']*)'|[^,)]+)", RegexOptions.CultureInvariant);
        return !m.Success ? null : m.Groups[2].Success ? m.Groups[2].Value : m.Groups[1].Value;
    }

    private void ReadRosTime(ReadOnlySpan<byte> line)
    {
        // ROS 2 lines: "[INFO] [1772822223.884980182] [node]: ..."; seconds since the epoch.
        var text = Encoding.UTF8.GetString(line);
        var m = RosTime().Match(text);
        if (m.Success && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            _firstTime = Math.Min(_firstTime, seconds);
            _lastTime = Math.Max(_lastTime, seconds);
        }
    }

    [GeneratedRegex(@"'NUMBER_OF_TRIALS': '?(\d+)'?")]
    private static partial Regex TrialsInDict();

    [GeneratedRegex(@"'([A-Z_0-9]+)': \['([^']*)'")]
    private static partial Regex ListEntry();

    [GeneratedRegex(@"\[(?:INFO|WARN|ERROR|DEBUG)\] \[(\d{9,10}\.\d+)\]")]
    private static partial Regex RosTime();
}
