namespace DeepRacer.Analysis.Sources;

/// <summary>How to reach S3 or an S3-compatible server such as MinIO.</summary>
public sealed record S3Options
{
    /// <summary>Endpoint of an S3-compatible server, e.g. <c>http://localhost:9000</c> for DRfC's MinIO; null for AWS.</summary>
    public string? EndpointUrl { get; init; }

    /// <summary>Named profile from the AWS shared config/credentials files; null for the default credential chain.</summary>
    public string? Profile { get; init; }

    /// <summary>Region; with a custom endpoint any value works and <c>us-east-1</c> is used when none is given.</summary>
    public string? Region { get; init; }

    /// <summary>Explicit credentials (tests, scripts); when set they win over <see cref="Profile"/> and the chain.</summary>
    public Amazon.Runtime.AWSCredentials? Credentials { get; init; }

    /// <summary>Per-request timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after a failed request (the SDK backs off between them).</summary>
    public int MaxRetries { get; init; } = 2;
}
