namespace DeepRacer.Analysis.Sources;

/// <summary>A model folder on the local file system.</summary>
public sealed class FolderSource : ModelSource
{
    private readonly string _root;

    /// <summary>Creates a source for a folder.</summary>
    public FolderSource(string root) => _root = Path.GetFullPath(root);

    /// <inheritdoc/>
    public override string Description => _root;

    /// <summary>
    /// Symbolic links (files and folders, relative to the root) that the last <see cref="ListAsync"/> skipped: a link leads
    /// out of the model folder or back into it (where a loop never ends), so none is followed.
    /// </summary>
    public IReadOnlyList<string> SkippedLinks { get; private set; } = [];

    /// <inheritdoc/>
    public override Task<IReadOnlyList<SourceFile>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_root))
        {
            throw new DeepRacerLogException($"{_root} does not exist: give the model folder.");
        }

        // One level at a time, so that a link is seen as a link before anything below it is listed.
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.None };
        var files = new List<SourceFile>();
        var skipped = new List<string>();
        var folders = new Stack<DirectoryInfo>([new DirectoryInfo(_root)]);
        while (folders.TryPop(out var folder))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var info in folder.EnumerateFileSystemInfos("*", options))
            {
                var relative = Path.GetRelativePath(_root, info.FullName).Replace('\\', '/');
                // The link flag comes with the listing; LinkTarget would read every entry's link (a system call per file).
                if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
                {
                    skipped.Add(relative);
                }
                else if (info is DirectoryInfo directory)
                {
                    folders.Push(directory);
                }
                else if (info is FileInfo file)
                {
                    files.Add(new SourceFile(relative, file.Length) { LastModified = file.LastWriteTimeUtc });
                }
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        skipped.Sort(StringComparer.Ordinal);
        SkippedLinks = skipped;
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
