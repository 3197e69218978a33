namespace DeepRacer.Analysis.Sources;

/// <summary>How to reach CloudWatch Logs.</summary>
public sealed record CloudWatchOptions
{
    /// <summary>Endpoint override, e.g. <c>http://127.0.0.1:4566</c>; null for <c>https://logs.REGION.amazonaws.com</c>.</summary>
    public string? EndpointUrl { get; init; }

    /// <summary>Region; null to take it from the profile or <c>AWS_REGION</c>/<c>AWS_DEFAULT_REGION</c>.</summary>
    public string? Region { get; init; }

    /// <summary>Named profile (shared config/credentials files, SSO included); null for the default credential chain.</summary>
    public string? Profile { get; init; }

    /// <summary>Explicit credentials; they win over <see cref="Profile"/> and the chain.</summary>
    public Amazon.Runtime.AWSCredentials? Credentials { get; init; }

    /// <summary>Retries after a throttled, 5xx or dropped request.</summary>
    public int MaxRetries { get; init; } = 8;

    /// <summary>First back-off delay; it doubles with each retry (with jitter) up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest back-off delay.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Per-request timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
