using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace DeepRacer.Analysis.Catalog;

// Import: copies local log files into the catalog.
public sealed partial class LogCatalog
{
    /// <summary>Imports local log files (DRfC robomaker/sagemaker logs, console or DROA exports): a file, or every <c>.log</c> under a folder.</summary>
    /// <exception cref="DeepRacerLogException">A path does not exist or a folder has no logs.</exception>
    /// <param name="paths">Files or folders.</param>
    /// <param name="progress">Progress, one step per file.</param>
    /// <param name="onResult">Called after each file's row is committed.</param>
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

        var results = new List<CatalogItemResult>();
        for (var i = 0; i < files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new CatalogProgress(Path.GetFileName(files[i]), i, files.Count, 0));
            results.Add(await ImportFileAsync(files[i], cancellationToken).ConfigureAwait(false));
            onResult?.Invoke(results[^1]);
        }

        progress?.Report(new CatalogProgress("", files.Count, files.Count, 0));
        return results;
    }

    /// <summary>Lines of a log's head that identify a run whose file name does not.</summary>
    private const int HeaderLinesForId = 200;

    private async Task<CatalogItemResult> ImportFileAsync(string source, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(source);
        var (id, nameTime, hint) = LocalName(name);

        // First pass: classify (the type names the file). Second pass: copy with hash into <file>.partial.
        var classifier = new LogClassifier(source);
        long lines = 0;
        using var firstHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await foreach (var line in ReadLinesAsync(source, cancellationToken).ConfigureAwait(false))
        {
            classifier.Add(line.Span);
            if (lines < HeaderLinesForId)
            {
                firstHash.AppendData(line.Span);
            }

            lines++;
        }

        if (!KnownName(name))
        {
            // DRfC logs are saved under names such as robomaker.log: the header tells two runs apart (it holds the run's
            // job description and first ROS time stamps), so importing the same log again, even after it grew, gives one row.
            id += "-" + Convert.ToHexStringLower(firstHash.GetHashAndReset())[..8];
        }

        var facts = classifier.Build();
        var type = facts.LogType ?? hint ?? CatalogLogType.SimulationJob;
        var folder = FolderOf(LocalDatabase);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, $"{type}-{id}.log");
        string sha;
        long bytes;
        await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true))
        {
            await using var output = new FileStream(target + ".partial", FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            bytes = 0;
            int n;
            while ((n = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                bytes += n;
            }

            output.Flush(flushToDisk: true);
            sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        File.Move(target + ".partial", target, overwrite: true);

        // Local logs carry no time per line. ROS 2 stamps (DROA) mark the start; they stop after the set-up, so the end is the
        // file name's time (console and DROA name an exported log by when it was saved) when that is later.
        var first = facts.LineTimes?.First;
        var last = (facts.LineTimes?.Last, nameTime) switch
        {
            ({ } a, { } b) => a > b ? a : b,
            (var a, var b) => a ?? b,
        };
        var row = BuildRow(id, type, facts, lines, bytes, sha, first, last);
        Commit(LocalDatabase, row);
        return new CatalogItemResult(row.Key, "imported", row.Status, row.StatusReason);
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
            return (m.Groups[2].Value, time, m.Groups[3].Value == "training" ? CatalogLogType.TrainingJob : null);
        }

        var stem = Regex.Replace(fileName, @"\.log(\.\d+)?$", "");
        var sagemaker = stem.Contains("sagemaker", StringComparison.OrdinalIgnoreCase);
        var id = Regex.Replace(stem, @"[^A-Za-z0-9._-]", "_");
        return (id, null, sagemaker ? CatalogLogType.TrainingJob : null);
    }

    private static bool KnownName(string fileName) => ConsoleName().IsMatch(fileName) || DroaName().IsMatch(fileName);

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadLinesAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        var carry = new List<byte>();
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var start = 0;
            for (var i = 0; i < n; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }

                byte[] line;
                if (carry.Count > 0)
                {
                    carry.AddRange(buffer.AsSpan(start, i - start));
                    line = [.. carry];
                    carry.Clear();
                }
                else
                {
                    line = buffer[start..i];
                }

                yield return TrimCr(line);
                start = i + 1;
            }

            carry.AddRange(buffer.AsSpan(start, n - start));
        }

        if (carry.Count > 0)
        {
            yield return TrimCr([.. carry]);
        }

        static ReadOnlyMemory<byte> TrimCr(byte[] line) => line.Length > 0 && line[^1] == (byte)'\r' ? line.AsMemory(0, line.Length - 1) : line;
    }


    [GeneratedRegex(@"^(training|evaluation|leaderboard)-(\d{14})-(.+)-(robomaker|sagemaker)\.log$")]
    private static partial Regex ConsoleName();

    [GeneratedRegex(@"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)-(.+)-(simulation|training)\.log$")]
    private static partial Regex DroaName();

    [GeneratedRegex(@"\.log(\.\d+)?$")]
    private static partial Regex LogFileName();
}
