using System.Security.Cryptography;
using System.Text.RegularExpressions;
using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Catalog;

// Import: copies local log files into the catalog.
public sealed partial class LogCatalog
{
    /// <summary>
    /// Imports local log files (DRfC robomaker/sagemaker logs, console or DROA exports): a file, or every <c>.log</c> under a folder.
    /// Rolled-over parts (<c>name.log.2</c>, <c>name.log.1</c>, <c>name.log</c>, oldest first as a rotating log handler numbers
    /// them) are one log, imported in that order.
    /// </summary>
    /// <exception cref="DeepRacerLogException">A path does not exist or a folder has no logs.</exception>
    /// <param name="paths">Files or folders.</param>
    /// <param name="progress">Progress, one step per log.</param>
    /// <param name="onResult">Called after each log's row is committed.</param>
    /// <param name="cancellationToken">Stops the import; committed rows stay.</param>
    public async Task<IReadOnlyList<CatalogItemResult>> ImportAsync(IEnumerable<string> paths, IProgress<CatalogProgress>? progress = null,
        Action<CatalogItemResult>? onResult = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(Path.GetFullPath(path));
            }
            else if (Directory.Exists(path))
            {
                // The catalog's own copies are never imported again (a folder that holds the catalog, e.g. "import ." with ./logs).
                var own = Path.GetFullPath(Root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
                var found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(f => LogFileName().IsMatch(Path.GetFileName(f)))
                    .Where(f => !f.EndsWith(".partial", StringComparison.Ordinal))
                    .Where(f => !Path.GetFullPath(f).StartsWith(own, StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0)
                {
                    throw new DeepRacerLogException($"{path} holds no .log files: give a DRfC log file or a folder of robomaker/sagemaker/simulation logs.");
                }

                files.AddRange(found.Select(Path.GetFullPath));
            }
            else
            {
                throw new DeepRacerLogException($"{path} does not exist: give a log file or a folder of logs.");
            }
        }

        var logs = RolledOver(files);
        var results = new List<CatalogItemResult>();
        for (var i = 0; i < logs.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parts = logs[i];
            progress?.Report(new CatalogProgress(Path.GetFileName(parts[^1]), i, logs.Count, 0));
            results.Add(await ImportPartsAsync(Path.GetFileName(parts[^1]), parts[^1], [.. parts.Select(OpenPart)], cancellationToken).ConfigureAwait(false));
            onResult?.Invoke(results[^1]);
        }

        progress?.Report(new CatalogProgress("", logs.Count, logs.Count, 0));
        return results;

        static Func<Stream> OpenPart(string path) => () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
    }

    /// <summary>
    /// Imports one log from a stream (<c>docker logs robomaker 2&gt;&amp;1</c> piped in). The name plays the part of a file name:
    /// console and DROA names give the id, time and type; any other name keeps it as the id, with a hash of the log's head.
    /// </summary>
    /// <param name="input">The log; read to its end.</param>
    /// <param name="name">A file name for the log, e.g. <c>robomaker.log</c>.</param>
    /// <param name="cancellationToken">Stops the import; nothing is committed then.</param>
    public Task<CatalogItemResult> ImportStreamAsync(Stream input, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return ImportPartsAsync(Path.GetFileName(name), name, [() => new NonClosing(input)], cancellationToken);
    }

    /// <summary>
    /// Groups the parts of rolled-over logs: <c>x.log</c> with <c>x.log.1</c>, <c>x.log.2</c> … (also those not listed but next to a
    /// listed part), oldest (highest number) first. Other files are one log each, in the given order.
    /// </summary>
    internal static List<List<string>> RolledOver(IEnumerable<string> files)
    {
        var logs = new List<List<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (seen.Add(SingleFileSource.LogStem(file)))
            {
                logs.Add([.. SingleFileSource.RolledOverParts(file)]);
            }
        }

        return logs;
    }

    /// <summary>Lines of a log's head that identify a run whose file name does not.</summary>
    private const int HeaderLinesForId = 200;

    /// <summary>
    /// Copies the parts, in order, into one <c>.partial</c> file while classifying and hashing them in the same pass (a pipe can be
    /// read once); the file is renamed once its type, which names it, is known.
    /// </summary>
    private async Task<CatalogItemResult> ImportPartsAsync(string name, string source, IReadOnlyList<Func<Stream>> parts, CancellationToken cancellationToken)
    {
        var (id, nameTime, hint) = LocalName(name);
        var classifier = new LogClassifier(source);
        var folder = FolderOf(LocalDatabase);
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $"import-{Guid.NewGuid():N}.log.partial");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var headHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var lines = new LineSplitter(line =>
        {
            classifier.Add(line);
            if (classifier.Lines <= HeaderLinesForId)
            {
                headHash.AppendData(line);
            }
        });
        long bytes = 0;
        try
        {
            await using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                foreach (var open in parts)
                {
                    if (bytes > 0 && !lines.AtLineStart)
                    {
                        // A part that does not end its last line: the next part starts a new one.
                        await WriteAsync("\n"u8.ToArray(), 1).ConfigureAwait(false);
                    }

                    await using var input = open();
                    int n;
                    while ((n = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await WriteAsync(buffer, n).ConfigureAwait(false);
                    }
                }

                lines.Finish();
                output.Flush(flushToDisk: true);

                async Task WriteAsync(byte[] data, int count)
                {
                    hash.AppendData(data, 0, count);
                    lines.Add(data.AsSpan(0, count));
                    await output.WriteAsync(data.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                    bytes += count;
                }
            }

            if (!KnownName(name))
            {
                // DRfC logs are saved under names such as robomaker.log: the header tells two runs apart (it holds the run's
                // job description and first ROS time stamps), so importing the same log again, even after it grew, gives one row.
                id += "-" + Convert.ToHexStringLower(headHash.GetHashAndReset())[..8];
            }

            var facts = classifier.Build();
            var type = DroaJobType(id) ?? facts.LogType ?? hint ?? CatalogLogType.SimulationJob;
            var target = Path.Combine(folder, $"{type}-{id}.log");
            File.Move(temp, target, overwrite: true);

            // Local logs carry no time per line. ROS 2 stamps (DROA) mark the start; they stop after the set-up, so the end is the
            // file name's time (console and DROA name an exported log by when it was saved) when that is later.
            var first = facts.LineTimes?.First;
            var last = (facts.LineTimes?.Last, nameTime) switch
            {
                ({ } a, { } b) => a > b ? a : b,
                (var a, var b) => a ?? b,
            };
            var row = BuildRow(id, type, facts, classifier.Lines, bytes, Convert.ToHexStringLower(hash.GetHashAndReset()), first, last);
            Commit(LocalDatabase, row);
            return new CatalogItemResult(row.Key, CatalogOutcome.Imported, row.Status, row.StatusReason);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Id, time and type hint from a local log's file name (spec 3.1 names; anything else keeps its name as the id).</summary>
    internal static (string Id, DateTimeOffset? Time, string? TypeHint) LocalName(string fileName)
    {
        var m = ConsoleName().Match(fileName);
        if (m.Success)
        {
            var time = DateTimeOffset.ParseExact(m.Groups[2].Value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var hint = m.Groups[4].Value == "sagemaker" ? CatalogLogType.TrainingJob
                : m.Groups[1].Value switch { "evaluation" => CatalogLogType.Evaluation, "leaderboard" => CatalogLogType.Leaderboard, _ => CatalogLogType.SimulationJob };
            return (m.Groups[3].Value, time, hint);
        }

        m = DroaName().Match(fileName);
        if (m.Success)
        {
            var time = DateTimeOffset.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            return (m.Groups[2].Value, time, m.Groups[3].Value == "training" ? CatalogLogType.TrainingJob : DroaJobType(m.Groups[2].Value));
        }

        var stem = Regex.Replace(fileName, @"\.log(\.\d+)?$", "");
        var sagemaker = stem.Contains("sagemaker", StringComparison.OrdinalIgnoreCase);
        var id = Regex.Replace(stem, @"[^A-Za-z0-9._-]", "_");
        return (id, null, sagemaker ? CatalogLogType.TrainingJob : null);
    }

    private static bool KnownName(string fileName) => ConsoleName().IsMatch(fileName) || DroaName().IsMatch(fileName);

    /// <summary>Splits bytes into lines (without <c>\n</c> or <c>\r\n</c>) across block boundaries.</summary>
    private sealed class LineSplitter(LineSplitter.LineHandler onLine)
    {
        private readonly List<byte> _carry = [];

        public delegate void LineHandler(ReadOnlySpan<byte> line);

        /// <summary>True when the bytes so far end with a newline (or there were none).</summary>
        public bool AtLineStart => _carry.Count == 0;

        public void Add(ReadOnlySpan<byte> block)
        {
            int nl;
            while ((nl = block.IndexOf((byte)'\n')) >= 0)
            {
                if (_carry.Count > 0)
                {
                    _carry.AddRange(block[..nl]);
                    Emit(CollectionsMarshal.AsSpan(_carry));
                    _carry.Clear();
                }
                else
                {
                    Emit(block[..nl]);
                }

                block = block[(nl + 1)..];
            }

            _carry.AddRange(block);
        }

        public void Finish()
        {
            if (_carry.Count > 0)
            {
                Emit(CollectionsMarshal.AsSpan(_carry));
                _carry.Clear();
            }
        }

        private void Emit(ReadOnlySpan<byte> line) => onLine(line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line);
    }

    /// <summary>Lets the caller keep its stream (standard input) open after the import.</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [GeneratedRegex(@"^(training|evaluation|leaderboard)-(\d{14})-(.+)-(robomaker|sagemaker)\.log$")]
    private static partial Regex ConsoleName();

    [GeneratedRegex(@"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)-(.+)-(simulation|training)\.log$")]
    private static partial Regex DroaName();

    [GeneratedRegex(@"\.log(\.\d+)?$")]
    private static partial Regex LogFileName();


}
