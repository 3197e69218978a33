namespace DeepRacer.Analysis.Sources;

/// <summary>Where a model's logs are: a local folder, a <c>.tar.gz</c> export, an S3/MinIO prefix or one file.</summary>
/// <remarks>Sources only list and read bytes; they know nothing of formats. They are the only async code in the library.</remarks>
public abstract class ModelSource : IDisposable
{
    /// <summary>How the source is shown to the user, e.g. <c>s3://bucket/model</c>.</summary>
    public abstract string Description { get; }

    /// <summary>How many files may be read at once.</summary>
    public virtual int MaxParallelReads => Environment.ProcessorCount;

    /// <summary>Lists every file below the model root.</summary>
    public abstract Task<IReadOnlyList<SourceFile>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens one listed file for reading.</summary>
    public abstract Task<Stream> OpenReadAsync(SourceFile file, CancellationToken cancellationToken = default);

    /// <summary>Reads one listed file whole.</summary>
    public async Task<byte[]> ReadAllBytesAsync(SourceFile file, CancellationToken cancellationToken = default)
    {
        await using var stream = await OpenReadAsync(file, cancellationToken).ConfigureAwait(false);
        using var memory = new MemoryStream(file.Length is > 0 and < int.MaxValue ? (int)file.Length : 0);
        await stream.CopyToAsync(memory, cancellationToken).ConfigureAwait(false);
        return memory.ToArray();
    }

    /// <summary>What <paramref name="location"/> names, without opening it: the one dispatch every reader of locations shares.</summary>
    public static LocationKind Classify(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            return LocationKind.S3;
        }

        if (Directory.Exists(location))
        {
            return LocationKind.Folder;
        }

        if (!File.Exists(location))
        {
            return LocationKind.Missing;
        }

        return location.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || location.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)
            ? LocationKind.Archive
            : LocationKind.File;
    }

    /// <summary>
    /// Opens a location: <c>s3://bucket/prefix</c>, a <c>.tar.gz</c>/<c>.tgz</c> file, a <c>.csv</c> or <c>.log</c> file, or a folder.
    /// </summary>
    /// <exception cref="DeepRacerLogException">The location does not exist or is not one of these.</exception>
    public static ModelSource Open(string location, S3Options? s3 = null) => Classify(location) switch
    {
        LocationKind.S3 => S3ModelSource.Create(location, s3 ?? new S3Options()),
        LocationKind.Folder => new FolderSource(location),
        LocationKind.Archive => TarGzSource.Open(location),
        LocationKind.File when SingleFileSource.Accepts(location) => new SingleFileSource(location),
        LocationKind.File => throw new DeepRacerLogException(
            $"{location} is a file drlog cannot read as a model: give a model folder, a .tar.gz export, a simtrace .csv, a robomaker/simulation .log, or s3://bucket/prefix."),
        _ => throw new DeepRacerLogException(
            $"{location} does not exist: give a model folder, a .tar.gz export, a simtrace .csv, a robomaker/simulation .log, or s3://bucket/prefix."),
    };

    /// <summary>
    /// Opens one local file of any kind (a metrics <c>.json</c>, a trainer log) as a source that lists just it, under its
    /// name, with its size and time; a file that is gone lists as empty. <see cref="Description"/> is its full path.
    /// </summary>
    public static ModelSource OpenFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new LocalFileSource(path);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases clients or buffers.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>What a location names (see <see cref="ModelSource.Classify"/>).</summary>
public enum LocationKind
{
    /// <summary>Nothing on the local file system.</summary>
    Missing,
    /// <summary>An <c>s3://</c> prefix or object (not checked: that takes a request).</summary>
    S3,
    /// <summary>A local folder.</summary>
    Folder,
    /// <summary>A local <c>.tar.gz</c>/<c>.tgz</c> export.</summary>
    Archive,
    /// <summary>Any other local file.</summary>
    File,
}
