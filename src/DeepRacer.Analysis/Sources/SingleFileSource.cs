namespace DeepRacer.Analysis.Sources;

/// <summary>One simtrace <c>.csv</c> or robomaker/simulation <c>.log</c> file.</summary>
public sealed class SingleFileSource : ModelSource
{
    private readonly string _path;

    /// <summary>Creates a source for one file.</summary>
    public SingleFileSource(string path) => _path = Path.GetFullPath(path);

    /// <summary>True for the file names this source reads (<c>.csv</c>, <c>.log</c>, rolled-over <c>.log.N</c>).</summary>
    public static bool Accepts(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path);
        return name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".log", StringComparison.OrdinalIgnoreCase)
            || System.Text.RegularExpressions.Regex.IsMatch(name, @"\.log\.\d+$");
    }

    /// <inheritdoc/>
    public override string Description => _path;

    /// <inheritdoc/>
    public override Task<IReadOnlyList<SourceFile>> ListAsync(CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(_path);
        if (!info.Exists)
        {
            throw new DeepRacerLogException($"{_path} does not exist: give an existing .csv or .log file.");
        }

        return Task.FromResult<IReadOnlyList<SourceFile>>([new SourceFile(info.Name, info.Length) { LastModified = info.LastWriteTimeUtc }]);
    }

    /// <inheritdoc/>
    public override Task<Stream> OpenReadAsync(SourceFile file, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan));
}
