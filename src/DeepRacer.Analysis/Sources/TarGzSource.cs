using System.Formats.Tar;
using System.IO.Compression;

namespace DeepRacer.Analysis.Sources;

/// <summary>
/// A <c>.tar.gz</c> export read as a stream, never unpacked to disk.
/// </summary>
/// <remarks>
/// The archive is read once when opened; log, trace and JSON members are kept in memory (exports are
/// megabytes), other members (checkpoints, videos) are only listed. A single top-level wrapper folder is
/// stripped from member names, as the reference does (spec 1.4).
/// </remarks>
public sealed class TarGzSource : ModelSource
{
    private static readonly string[] s_keptExtensions = [".csv", ".log", ".json", ".py", ".txt", ".yaml", ".yml"];

    private readonly string _path;
    private readonly Dictionary<string, byte[]> _contents;
    private readonly List<SourceFile> _files;

    private TarGzSource(string path, Dictionary<string, byte[]> contents, List<SourceFile> files)
    {
        _path = path;
        _contents = contents;
        _files = files;
    }

    /// <inheritdoc/>
    public override string Description => _path;

    /// <summary>Name of the wrapper folder that was stripped, or null.</summary>
    public string? Wrapper { get; private init; }

    /// <summary>Reads the archive.</summary>
    /// <exception cref="DeepRacerLogException">The file is missing, truncated or not a gzip-compressed tar.</exception>
    public static TarGzSource Open(string path)
    {
        var full = Path.GetFullPath(path);
        var entries = new List<(string Name, long Length, byte[]? Data, DateTimeOffset Modified)>();
        // The member being read, or the last one read whole, for the error message: a damaged archive fails in a header or in data.
        string? member = null;
        var inHeader = true;
        try
        {
            using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (true)
            {
                inHeader = true;
                if (reader.GetNextEntry(copyData: false) is not { } entry)
                {
                    break;
                }

                inHeader = false;
                member = entry.Name;
                if (entry.EntryType == TarEntryType.SparseFile && IsKept(entry.Name))
                {
                    // Its data is a map of holes, not the file: reading it as the file would give garbage lines.
                    throw new NotSupportedException("a sparse member, which drlog does not expand");
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                {
                    entries.Add((entry.Name, -1, null, entry.ModificationTime));
                    continue;
                }

                byte[]? data = null;
                // A DROA job's log archive ({job}-logs.tar.gz, a few MB) is read in place later; other archives (models) are only listed.
                if (IsKept(entry.Name))
                {
                    // Sized by the bytes that really arrive, not by the header's size field, which a damaged header can set to terabytes.
                    // An empty member has no data stream; it is still a (empty) file, as on disk.
                    using var buffer = new MemoryStream();
                    entry.DataStream?.CopyTo(buffer);
                    data = buffer.ToArray();
                }

                entries.Add((entry.Name, entry.Length, data, entry.ModificationTime));
            }
        }
        catch (FileNotFoundException e)
        {
            throw new DeepRacerLogException($"{full} does not exist: give the .tar.gz export.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DeepRacerLogException($"{full} cannot be read (permission denied); check its permissions.", e);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or IOException or InvalidOperationException
            or OverflowException or NotSupportedException or ArgumentException)
        {
            // TarReader and GZipStream report damage with any of these (a size past the data, an overflowing size field, a sparse
            // member); for the user each is the same: the archive is damaged at this member.
            var where = member is null ? "in its first member" : inHeader ? $"after member {member}" : $"in member {member}";
            throw new DeepRacerLogException($"{full} is truncated or not a .tar.gz ({where}: {Reason(e)}): download the export again.", e);
        }

        // One distinct first component among names with a '/' is a wrapper folder (spec 1.4).
        var firsts = entries.Where(e => e.Name.Contains('/')).Select(e => e.Name[..e.Name.IndexOf('/')]).Distinct().ToList();
        // A folder of the model layout itself (training-simtrace/, sim-trace/, 0/, model/...) is never a wrapper, even when it is the only one.
        var prefix = firsts.Count == 1 && !IsLayoutFolder(firsts[0]) ? firsts[0] + "/" : "";
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var files = new List<SourceFile>();
        foreach (var (name, length, data, modified) in entries)
        {
            if (length < 0 || !name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var relative = name[prefix.Length..].TrimStart('.', '/');
            if (relative.Length == 0)
            {
                continue;
            }

            files.Add(new SourceFile(relative, length) { LastModified = modified });
            if (data is not null)
            {
                contents[relative] = data;
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new TarGzSource(full, contents, files) { Wrapper = prefix.Length > 0 ? prefix.TrimEnd('/') : null };
    }

    private static bool IsKept(string name) =>
        s_keptExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)) || name.EndsWith("-logs.tar.gz", StringComparison.Ordinal);

    private static bool IsLayoutFolder(string name) =>
        name is "sim-trace" or "training-simtrace" or "model" or "ip" or "metrics" or "logs"
        || (name.Length > 0 && name.All(char.IsAsciiDigit))
        || (name.StartsWith("evaluation-", StringComparison.Ordinal) && name.Length == "evaluation-".Length + 14 && name["evaluation-".Length..].All(char.IsAsciiDigit));

    private static string Reason(Exception e) => e switch
    {
        EndOfStreamException => "it ends early",
        _ => e.Message.ReplaceLineEndings(" ").TrimEnd('.'),
    };

    /// <inheritdoc/>
    public override Task<IReadOnlyList<SourceFile>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SourceFile>>(_files);

    /// <inheritdoc/>
    public override Task<Stream> OpenReadAsync(SourceFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return _contents.TryGetValue(file.Path, out var data)
            ? Task.FromResult<Stream>(new MemoryStream(data, writable: false))
            : throw new DeepRacerLogException($"{_path}: member {file.Path} is not a log, trace or JSON file and is not read.");
    }
}
