namespace DeepRacer.Analysis.Sources;

/// <summary>A file of a model source.</summary>
/// <param name="Path">Path relative to the model root, with <c>/</c> separators.</param>
/// <param name="Length">Size in bytes.</param>
public sealed record SourceFile(string Path, long Length)
{
    /// <summary>Last-modified time, when the source knows it.</summary>
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>Entity tag (S3), when the source has one.</summary>
    public string? ETag { get; init; }
}
