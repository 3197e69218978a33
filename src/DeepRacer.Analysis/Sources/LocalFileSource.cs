namespace DeepRacer.Analysis.Sources;

/// <summary>
/// Exactly one local file of any kind (a metrics <c>.json</c>, a trainer log), listed under its own name; unlike
/// <see cref="SingleFileSource"/> it joins no rolled-over parts. A file that is gone lists as empty, so a caller that
/// watches it can say so in its own words.
/// </summary>
internal sealed class LocalFileSource : ModelSource
{
    private readonly string _path;

    public LocalFileSource(string path) => _path = Path.GetFullPath(path);

    /// <summary>The file's full path.</summary>
    public override string Description => _path;

    public override Task<IReadOnlyList<SourceFile>> ListAsync(CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(_path);
        return Task.FromResult<IReadOnlyList<SourceFile>>(info.Exists ? [new SourceFile(info.Name, info.Length) { LastModified = info.LastWriteTimeUtc }] : []);
    }

    public override Task<Stream> OpenReadAsync(SourceFile file, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan));
}
