using DeepRacer.Analysis.Rewards;
using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Web;

/// <summary>What <see cref="Dashboard"/> serves and where.</summary>
public sealed record DashboardOptions
{
    /// <summary>The loopback address, the default bind.</summary>
    public const string Loopback = "127.0.0.1";

    /// <summary>Model locations (folder, <c>.tar.gz</c>, <c>s3://bucket/prefix</c>, file); two or more are compared.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>How to reach S3/MinIO.</summary>
    public S3Options? S3 { get; init; }

    /// <summary>Address to bind; loopback unless asked otherwise.</summary>
    public string Host { get; init; } = Loopback;

    /// <summary>Port; 0 picks a free one.</summary>
    public int Port { get; init; } = 5000;

    /// <summary>How often the sources are polled for new files.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Track name or <c>.npy</c> file, when the logs do not say.</summary>
    public string? Track { get; init; }

    /// <summary>A reward function file for the Reward page (reward replay), or null.</summary>
    public string? RewardFunction { get; init; }

    /// <summary>How <see cref="RewardFunction"/> runs: interpreter, workers, batch timeout, failing steps skipped.</summary>
    public PythonRewardOptions RewardOptions { get; init; } = new();

    /// <summary>The training drove the track in reverse (DRfC <c>REVERSE_DIR</c>): the replay reverses the lines.</summary>
    public bool RewardReversed { get; init; }

    /// <summary>
    /// How the front end that starts the dashboard words a problem shown on a page (an input problem with its own
    /// flags, a failing reward replay, say); the exception's message when null.
    /// </summary>
    public Func<Exception, string>? DescribeError { get; init; }
}
