namespace DeepRacer.Analysis.Sources;

/// <summary>A model folder on the local file system.</summary>
public sealed class FolderSource : ModelSource
{
    private readonly string _root;

    /// <summary>Creates a source for a folder.</summary>
    public FolderSource(string root) => _root = Path.GetFullPath(root);

    /// <inheritdoc/>
    public override string Description => _root;

    /// <inheritdoc/>
    public override Task<IReadOnlyList<SourceFile>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_root))
        {
            throw new DeepRacerLogException($"{_root} does not exist: give the model folder.");
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.None };
        var files = new List<SourceFile>();
        foreach (var info in new DirectoryInfo(_root).EnumerateFiles("*", options))
        {
            var relative = Path.GetRelativePath(_root, info.FullName).Replace('\\', '/');
            files.Add(new SourceFile(relative, info.Length) { LastModified = info.LastWriteTimeUtc });
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return Task.FromResult<IReadOnlyList<SourceFile>>(files);
    }

    /// <inheritdoc/>
    public override Task<Stream> OpenReadAsync(SourceFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var path = Path.Combine(_root, file.Path);
        try
        {
            // No FileStream buffer: the parsers read large blocks themselves.
            return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DeepRacerLogException($"{path} disappeared while reading; run again.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DeepRacerLogException($"{path} cannot be read (permission denied); check its permissions.", e);
        }
    }
}
