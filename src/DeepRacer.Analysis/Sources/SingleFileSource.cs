using System.Text.RegularExpressions;

namespace DeepRacer.Analysis.Sources;

/// <summary>
/// One simtrace <c>.csv</c> or robomaker/simulation <c>.log</c> file. A log that was rolled over (<c>name.log.2</c>,
/// <c>name.log.1</c>, <c>name.log</c>, as a rotating log handler numbers the older parts) is read as one log, oldest part first.
/// </summary>
public sealed partial class SingleFileSource : ModelSource
{
    private readonly string _path;
    private IReadOnlyList<string>? _parts;

    /// <summary>Creates a source for one file.</summary>
    public SingleFileSource(string path) => _path = Path.GetFullPath(path);

    /// <summary>True for the file names this source reads (<c>.csv</c>, <c>.log</c>, rolled-over <c>.log.N</c>).</summary>
    public static bool Accepts(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path);
        return name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".log", StringComparison.OrdinalIgnoreCase)
            || RolledPart().IsMatch(name);
    }

    /// <summary>
    /// The parts of the log <paramref name="path"/> belongs to, oldest first: <c>x.log.N</c> … <c>x.log.1</c>, then <c>x.log</c>;
    /// just the file itself when it has no rolled-over parts (or is not a log).
    /// </summary>
    public static IReadOnlyList<string> RolledOverParts(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stem = LogStem(path);
        var folder = Path.GetDirectoryName(stem) is { Length: > 0 } f ? f : ".";
        var parts = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, Path.GetFileName(stem) + ".*")
                .Select(p => (Path: p, Match: RolledPart().Match(p)))
                .Where(p => p.Match.Success && p.Path.Length == stem.Length + p.Match.Length)
                .OrderByDescending(p => long.Parse(p.Match.Groups[1].Value, CultureInfo.InvariantCulture))
                .Select(p => p.Path).ToList()
            : [];
        if (File.Exists(stem))
        {
            parts.Add(stem);
        }

        return parts.Count > 0 ? parts : [path];
    }

    /// <summary>The path of a log without its rolled-over number: <c>x.log.2</c> gives <c>x.log</c>.</summary>
    public static string LogStem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return RolledPart().Match(path) is { Success: true } m ? path[..^m.Length] : path;
    }

    /// <inheritdoc/>
    public override string Description => _path;

    private IReadOnlyList<string> Parts => _parts ??= _path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? [_path] : RolledOverParts(_path);

    /// <inheritdoc/>
    public override Task<IReadOnlyList<SourceFile>> ListAsync(CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(_path);
        if (!info.Exists)
        {
            throw new DeepRacerLogException($"{_path} does not exist: give an existing .csv or .log file.");
        }

        var length = Parts.Sum(p => new FileInfo(p).Length);
        return Task.FromResult<IReadOnlyList<SourceFile>>([new SourceFile(Path.GetFileName(LogStem(_path)), length) { LastModified = info.LastWriteTimeUtc }]);
    }

    /// <inheritdoc/>
    public override Task<Stream> OpenReadAsync(SourceFile file, CancellationToken cancellationToken = default) =>
        Task.FromResult(Parts.Count == 1 ? Open(Parts[0]) : new PartsStream([.. Parts.Select(p => (Func<Stream>)(() => Open(p)))]));

    private static Stream Open(string path) =>
        new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);

    [GeneratedRegex(@"(?<=\.log)\.(\d+)$")]
    private static partial Regex RolledPart();

    /// <summary>The parts one after the other, each opened when the one before ends; a part without a last newline gets one.</summary>
    private sealed class PartsStream(IReadOnlyList<Func<Stream>> parts) : Stream
    {
        private int _next;
        private Stream? _current;
        private bool _pendingNewline;
        private int _last = '\n';

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (buffer.Length > 0)
            {
                if (_pendingNewline)
                {
                    _pendingNewline = false;
                    _last = '\n';
                    buffer[0] = (byte)'\n';
                    return 1;
                }

                if (_current is null)
                {
                    if (_next == parts.Count)
                    {
                        return 0;
                    }

                    _current = parts[_next++]();
                }

                var n = _current.Read(buffer);
                if (n > 0)
                {
                    _last = buffer[n - 1];
                    return n;
                }

                _current.Dispose();
                _current = null;
                _pendingNewline = _last != '\n' && _next < parts.Count;
            }

            return 0;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _current?.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
