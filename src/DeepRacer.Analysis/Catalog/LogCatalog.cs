using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Catalog;

/// <summary>The CloudWatch log groups DeepRacer writes to.</summary>
public enum CloudWatchGroup
{
    /// <summary><c>/aws/robomaker/SimulationJobs</c>: training simulations and evaluations.</summary>
    Robomaker,

    /// <summary><c>/aws/sagemaker/TrainingJobs</c>: the trainers.</summary>
    Sagemaker,

    /// <summary><c>/aws/deepracer/leaderboard/SimulationJobs</c>: leaderboard submissions.</summary>
    Leaderboard,
}

/// <summary>A catalogued log: its row, which database holds it and where its file is.</summary>
/// <param name="Row">The CSV row.</param>
/// <param name="Database"><c>cloudwatch</c> or <c>local_training</c>.</param>
/// <param name="FilePath">The log file.</param>
public sealed record CatalogEntry(CatalogRow Row, string Database, string FilePath);

/// <summary>Progress of a fetch or import: one item (log) at a time.</summary>
/// <param name="Item">The log being worked on.</param>
/// <param name="Done">Logs finished.</param>
/// <param name="Total">Logs to do.</param>
/// <param name="Bytes">Bytes written so far for the current log.</param>
public readonly record struct CatalogProgress(string Item, int Done, int Total, long Bytes);

/// <summary>What a fetch is asked to do.</summary>
public sealed record FetchRequest
{
    /// <summary>Groups to read.</summary>
    public IReadOnlyList<CloudWatchGroup> Groups { get; init; } = [CloudWatchGroup.Robomaker, CloudWatchGroup.Sagemaker, CloudWatchGroup.Leaderboard];

    /// <summary>Only streams with events at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only streams with events at or before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only these job ids (stream name prefixes).</summary>
    public IReadOnlyList<string> Ids { get; init; } = [];

    /// <summary>Download again even when the catalog already has a complete copy.</summary>
    public bool Force { get; init; }
}

/// <summary>How one log of a fetch or import ended.</summary>
/// <param name="Key"><c>&lt;log-type&gt;-&lt;id&gt;</c>, or the stream/file name when that is not known.</param>
/// <param name="Outcome"><c>fetched</c>, <c>imported</c>, <c>skipped</c> (already complete) or <c>failed</c>.</param>
/// <param name="Status">The row's status, when a row was written.</param>
/// <param name="Message">Details: the invalid reason or the error.</param>
public sealed record CatalogItemResult(string Key, string Outcome, CatalogStatus? Status, string? Message);

/// <summary>A problem <see cref="LogCatalog.Verify"/> found.</summary>
/// <param name="Key">Row key or file name.</param>
/// <param name="Path">The file concerned.</param>
/// <param name="Problem">What is wrong.</param>
public sealed record CatalogProblem(string Key, string Path, string Problem);

/// <summary>
/// The log catalog under a root folder: downloaded CloudWatch logs and imported local logs, with one CSV database each
/// (<c>db/cloudwatch_logs.csv</c>, <c>db/local_training_logs.csv</c>).
/// </summary>
public sealed partial class LogCatalog
{
    /// <summary>Database name of CloudWatch logs.</summary>
    public const string CloudWatchDatabase = "cloudwatch";

    /// <summary>Database name of imported local logs.</summary>
    public const string LocalDatabase = "local_training";

    private LogCatalog(string root)
    {
        Root = Path.GetFullPath(root);
        CloudWatch = new CatalogDatabase(Path.Combine(Root, "db", "cloudwatch_logs.csv"));
        Local = new CatalogDatabase(Path.Combine(Root, "db", "local_training_logs.csv"));
    }

    /// <summary>The catalog root.</summary>
    public string Root { get; }

    /// <summary>The database of CloudWatch logs.</summary>
    public CatalogDatabase CloudWatch { get; }

    /// <summary>The database of imported local logs.</summary>
    public CatalogDatabase Local { get; }

    /// <summary>Opens a catalog root; folders are created on the first write.</summary>
    public static LogCatalog Open(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        return new LogCatalog(root);
    }

    /// <summary>The log group name of a <see cref="CloudWatchGroup"/>.</summary>
    public static string GroupName(CloudWatchGroup group) => group switch
    {
        CloudWatchGroup.Robomaker => "/aws/robomaker/SimulationJobs",
        CloudWatchGroup.Sagemaker => "/aws/sagemaker/TrainingJobs",
        _ => "/aws/deepracer/leaderboard/SimulationJobs",
    };

    /// <summary>The folder a database's log files live in.</summary>
    public string FolderOf(string database) => Path.Combine(Root, database);

    private CatalogDatabase DatabaseOf(string database) => database == CloudWatchDatabase ? CloudWatch : Local;

    /// <summary>All rows of both databases, newest first (as each database file lists them).</summary>
    public IReadOnlyList<CatalogEntry> List()
    {
        var entries = CloudWatch.Read().Rows.Select(r => new CatalogEntry(r, CloudWatchDatabase, Path.Combine(FolderOf(CloudWatchDatabase), r.FileName)))
            .Concat(Local.Read().Rows.Select(r => new CatalogEntry(r, LocalDatabase, Path.Combine(FolderOf(LocalDatabase), r.FileName))));
        return [.. CatalogDatabase.NewestFirst(entries, e => e.Row)];
    }

    /// <summary>Rows of both databases that could not be read.</summary>
    public IReadOnlyList<(string Database, MalformedCatalogRow Row)> Malformed() =>
        [.. CloudWatch.Read().Malformed.Select(m => (CloudWatch.Path, m)), .. Local.Read().Malformed.Select(m => (Local.Path, m))];

    /// <summary>Finds a log by id (<c>sim-1j6vm0shdd15</c>) or key (<c>evaluation-sim-1j6vm0shdd15</c>); null when absent.</summary>
    /// <exception cref="DeepRacerLogException">The id names several logs.</exception>
    public CatalogEntry? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var all = List();
        var byKey = all.Where(e => e.Row.Key == id).ToList();
        var found = byKey.Count > 0 ? byKey : all.Where(e => e.Row.Id == id).ToList();
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new DeepRacerLogException(
                $"Catalog id {id} names {found.Count} logs ({string.Join(", ", found.Select(f => $"{f.Database}/{f.Row.Key}"))}); give the full key, e.g. {found[0].Row.Key}."),
        };
    }

    /// <summary>
    /// Downloads the logs of the requested groups that the catalog does not hold complete yet. Each download streams into
    /// <c>&lt;file&gt;.partial</c> and is renamed after the last page; a failed download leaves the <c>.partial</c> and an
    /// <c>incomplete</c> row, which the next fetch repairs. Each log's row is committed as soon as it is done.
    /// </summary>
    /// <param name="client">The CloudWatch Logs client.</param>
    /// <param name="request">Groups, time window, ids.</param>
    /// <param name="progress">Progress, one step per log.</param>
    /// <param name="onResult">Called after each log's row is committed (the CLI prints it at once).</param>
    /// <param name="cancellationToken">Stops the fetch; committed rows stay.</param>
    public async Task<IReadOnlyList<CatalogItemResult>> FetchAsync(CloudWatchLogsClient client, FetchRequest request, IProgress<CatalogProgress>? progress = null,
        Action<CatalogItemResult>? onResult = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var todo = new List<(CloudWatchGroup Group, LogStreamInfo Stream, string Id)>();
        foreach (var group in request.Groups)
        {
            var streams = new List<LogStreamInfo>();
            if (request.Ids.Count == 0)
            {
                streams.AddRange(await client.DescribeLogStreamsAsync(GroupName(group), null, cancellationToken).ConfigureAwait(false));
            }
            else
            {
                foreach (var id in request.Ids)
                {
                    streams.AddRange(await client.DescribeLogStreamsAsync(GroupName(group), id, cancellationToken).ConfigureAwait(false));
                }
            }

            // One log per job: a job's newest stream (DeepRacer writes one SimulationApplicationLogs or algo-1 stream per job).
            foreach (var stream in streams
                         .Where(s => request.From is not { } from || (s.LastEventTimestamp ?? s.FirstEventTimestamp) is not { } last || last >= from)
                         .Where(s => request.To is not { } to || s.FirstEventTimestamp is not { } first || first <= to)
                         .GroupBy(s => JobId(s.Name))
                         .Select(g => g.OrderByDescending(s => s.LastEventTimestamp ?? DateTimeOffset.MinValue).First()))
            {
                var id = JobId(stream.Name);
                if (request.Ids.Count == 0 || request.Ids.Contains(id))
                {
                    todo.Add((group, stream, id));
                }
            }
        }

        var results = new List<CatalogItemResult>();
        var existing = CloudWatch.Read().Rows;
        for (var i = 0; i < todo.Count; i++)
        {
            var (group, stream, id) = todo[i];
            progress?.Report(new CatalogProgress(id, i, todo.Count, 0));
            var current = existing.Where(r => r.Id == id).ToList();
            if (!request.Force && current.Count > 0 && current.All(r => IsComplete(r, CloudWatchDatabase) && (stream.LastEventTimestamp is null || r.LastEventTimestamp >= stream.LastEventTimestamp)))
            {
                results.Add(new CatalogItemResult(current[0].Key, "skipped", current[0].Status, "already complete"));
                onResult?.Invoke(results[^1]);
                continue;
            }

            results.Add(await DownloadAsync(client, group, stream, id, i, todo.Count, progress, cancellationToken).ConfigureAwait(false));
            onResult?.Invoke(results[^1]);
        }

        progress?.Report(new CatalogProgress("", todo.Count, todo.Count, 0));
        return results;
    }

    private async Task<CatalogItemResult> DownloadAsync(CloudWatchLogsClient client, CloudWatchGroup group, LogStreamInfo stream, string id, int index, int total,
        IProgress<CatalogProgress>? progress, CancellationToken cancellationToken)
    {
        var classifier = new LogClassifier($"{GroupName(group)}/{stream.Name}");
        var header = new List<LogEvent>();
        await using var pages = client.ReadStreamAsync(GroupName(group), stream.Name, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        string? type = null;
        FileStream? file = null;
        string? finalPath = null;
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0, events = 0;
        DateTimeOffset? first = null, last = null;
        var folder = FolderOf(CloudWatchDatabase);
        Directory.CreateDirectory(folder);
        try
        {
            while (await pages.MoveNextAsync().ConfigureAwait(false))
            {
                foreach (var ev in pages.Current)
                {
                    var line = Encoding.UTF8.GetBytes(ev.Message.TrimEnd('\n', '\r'));
                    classifier.Add(line);
                    first ??= ev.Timestamp;
                    last = ev.Timestamp;
                    if (file is null)
                    {
                        header.Add(ev);
                        // The file name needs the log type, which the job description line near the top gives.
                        if (ev.Message.Contains("JOB_TYPE", StringComparison.Ordinal) || ev.Message.Contains("Training Worker Args", StringComparison.Ordinal))
                        {
                            type = classifier.Build().LogType;
                        }

                        if (type is null && header.Count < 5000)
                        {
                            continue;
                        }

                        type ??= DefaultType(group);
                        finalPath = Path.Combine(folder, $"{type}-{id}.log");
                        file = new FileStream(finalPath + ".partial", FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
                        foreach (var h in header)
                        {
                            Write(file, h.Message);
                        }

                        header.Clear();
                        continue;
                    }

                    Write(file, ev.Message);
                }

                progress?.Report(new CatalogProgress(id, index, total, bytes));
            }

            var facts = classifier.Build();
            if (file is null)
            {
                type = facts.LogType ?? DefaultType(group);
                finalPath = Path.Combine(folder, $"{type}-{id}.log");
                file = new FileStream(finalPath + ".partial", FileMode.Create, FileAccess.Write, FileShare.Read);
                foreach (var h in header)
                {
                    Write(file, h.Message);
                }
            }

            file.Flush(flushToDisk: true);
            await file.DisposeAsync().ConfigureAwait(false);
            file = null;
            File.Move(finalPath + ".partial", finalPath!, overwrite: true);
            var row = BuildRow(id, type!, facts, events, bytes, Convert.ToHexStringLower(hash.GetHashAndReset()), first, last);
            Commit(CloudWatchDatabase, row);
            return new CatalogItemResult(row.Key, "fetched", row.Status, row.StatusReason);
        }
        catch (DeepRacerLogException e)
        {
            // Keep what arrived in the .partial and record the row as incomplete: verify shows it, the next fetch repairs it.
            if (file is not null)
            {
                file.Flush(flushToDisk: true);
                await file.DisposeAsync().ConfigureAwait(false);
            }

            var facts = classifier.Build();

            // Before the job description arrives the type is a guess: keep the type a previous complete fetch found,
            // and never let a guess replace (or delete the files of) a log of another type.
            type ??= facts.LogType ?? CloudWatch.Read().Rows.FirstOrDefault(r => r.Id == id)?.LogType ?? DefaultType(group);
            var row = BuildRow(id, type, facts, events, bytes, null, first, last) with
            {
                Status = CatalogStatus.Incomplete,
                StatusReason = "download interrupted: " + e.Message,
                Sha256 = null,
            };
            Commit(CloudWatchDatabase, row, replaceOtherTypes: facts.LogType is not null);
            return new CatalogItemResult(row.Key, "failed", CatalogStatus.Incomplete, e.Message);
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }

            hash.Dispose();
        }

        void Write(FileStream target, string message)
        {
            var bytesOfLine = Encoding.UTF8.GetBytes(message.TrimEnd('\n', '\r') + "\n");
            target.Write(bytesOfLine);
            hash.AppendData(bytesOfLine);
            bytes += bytesOfLine.Length;
            events++;
        }
    }

    private static string DefaultType(CloudWatchGroup group) => group switch
    {
        CloudWatchGroup.Sagemaker => CatalogLogType.TrainingJob,
        CloudWatchGroup.Leaderboard => CatalogLogType.Leaderboard,
        _ => CatalogLogType.SimulationJob,
    };

    /// <summary>The job id of a stream: its first path segment (<c>sim-ggd6pry2r37m/2022-.../SimulationApplicationLogs</c>, <c>job-name/algo-1-123</c>).</summary>
    public static string JobId(string streamName)
    {
        ArgumentNullException.ThrowIfNull(streamName);
        var slash = streamName.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? streamName[..slash] : streamName;
    }

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

    /// <summary>Builds a catalog row from what a log says about itself.</summary>
    internal static CatalogRow BuildRow(string id, string type, LogFacts facts, long events, long bytes, string? sha, DateTimeOffset? first, DateTimeOffset? last)
    {
        // Evaluation and leaderboard logs print the simulation app's default hyperparameters, not the model's
        // (the sample evaluations say discount_factor 0.999 for a model trained with 0.95): theirs come from the training.
        var hp = type is CatalogLogType.Evaluation or CatalogLogType.Leaderboard ? null : facts.Metadata.Hyperparameters;
        var actions = facts.Metadata.ActionSpace;
        double? maxSteer = null, maxSpeed = null;
        int? steerSteps = null, speedSteps = null;
        if (actions is { IsContinuous: true })
        {
            maxSteer = Math.Max(Math.Abs(actions.SteeringAngle.Low), Math.Abs(actions.SteeringAngle.High));
            maxSpeed = actions.Speed.High;
        }
        else if (actions is { Actions.Count: > 0 })
        {
            // Angles carry float noise (-10.000000000000004); round before counting distinct values.
            maxSteer = Math.Round(actions.Actions.Max(a => Math.Abs(a.SteeringAngle)), 6);
            maxSpeed = Math.Round(actions.Actions.Max(a => a.Speed), 6);
            steerSteps = actions.Actions.Select(a => Math.Round(a.SteeringAngle, 6)).Distinct().Count();
            speedSteps = actions.Actions.Select(a => Math.Round(a.Speed, 6)).Distinct().Count();
        }

        var reason = facts.InvalidReason;
        var world = facts.Metadata.WorldName;
        return new CatalogRow
        {
            Id = id,
            ModelName = facts.ModelName,
            LogType = type,
            WorldName = world,
            Cloned = facts.Cloned,
            FetchedAt = DateTimeOffset.UtcNow,
            FirstEventTimestamp = first,
            LastEventTimestamp = last,
            MaxSteeringAngle = maxSteer,
            SteeringAngleGranularity = steerSteps,
            MaxSpeed = maxSpeed,
            SpeedGranularity = speedSteps,
            BatchSize = hp?.BatchSize,
            BetaEntropy = hp?.BetaEntropy,
            DiscountFactor = hp?.DiscountFactor,
            LossType = hp?.LossType,
            LearningRate = hp?.LearningRate,
            NumEpochs = hp?.NumEpochs,
            NumEpisodesBetweenTraining = hp?.NumEpisodesBetweenTraining,
            NTrials = facts.NTrials,
            TrainingJobDuration = first is { } f && last is { } l ? Math.Round((l - f).TotalSeconds, 3) : null,
            S3Bucket = facts.S3Bucket,
            S3Prefix = facts.S3Prefix,
            Status = reason is null ? CatalogStatus.Ok : CatalogStatus.Invalid,
            StatusReason = reason,
            Events = events,
            Bytes = bytes,
            Sha256 = sha,
            Track = CatalogTracks.Resolve(world),
        };
    }

    private void Commit(string database, CatalogRow row, bool replaceOtherTypes = true)
    {
        // A CloudWatch job has one log: a row of the same job under another type (an interrupted download typed before its
        // job description arrived) is replaced, and its files go with it, but only once the type is known from the log itself.
        var sameJob = database == CloudWatchDatabase && replaceOtherTypes;
        DatabaseOf(database).Update(rows =>
        {
            rows.RemoveAll(r => r.Key == row.Key || (sameJob && r.Id == row.Id));
            rows.Add(row);
            ResolveModels(rows);
        });
        if (sameJob)
        {
            foreach (var type in CatalogLogType.All.Where(t => t != row.LogType))
            {
                var stale = Path.Combine(FolderOf(database), $"{type}-{row.Id}.log");
                File.Delete(stale);
                File.Delete(stale + ".partial");
            }
        }
    }

    /// <summary>
    /// Fills model names (and missing world, track and cloned values, and the hyperparameters of evaluations and leaderboard
    /// runs) across rows of the same model, found by S3 bucket and prefix: the training's simulation-job names every log of
    /// its model; failing that, an empty name takes any name the model's other logs give. Runs on every commit, so rows that had no match get one when a later fetch brings it.
    /// </summary>
    internal static void ResolveModels(List<CatalogRow> rows)
    {
        foreach (var model in rows.Select((r, i) => (r, i)).Where(x => x.r.S3Prefix is not null).GroupBy(x => (x.r.S3Bucket ?? "", x.r.S3Prefix!)).ToList())
        {
            var members = model.OrderByDescending(x => x.r.LastEventTimestamp ?? DateTimeOffset.MinValue).ToList();
            var training = members.Where(x => x.r.LogType == CatalogLogType.SimulationJob && x.r.ModelName is not null).Select(x => x.r).FirstOrDefault();
            var anyName = members.Select(x => x.r.ModelName).FirstOrDefault(n => n is not null);
            var world = members.Where(x => x.r.LogType == CatalogLogType.SimulationJob).Select(x => x.r.WorldName).FirstOrDefault(w => w is not null);
            var trainer = members.Select(x => x.r).Where(r => r.BatchSize is not null || r.LossType is not null)
                .OrderBy(r => r.LogType == CatalogLogType.TrainingJob ? 0 : r.LogType == CatalogLogType.SimulationJob ? 1 : 2)
                .FirstOrDefault(r => r.LogType is CatalogLogType.TrainingJob or CatalogLogType.SimulationJob);
            var cloned = members.Where(x => x.r.LogType == CatalogLogType.TrainingJob).Select(x => x.r.Cloned).FirstOrDefault(c => c is not null);
            foreach (var (row, i) in members)
            {
                var name = row.LogType == CatalogLogType.SimulationJob ? row.ModelName ?? anyName : training?.ModelName ?? row.ModelName ?? anyName;
                var w = row.WorldName ?? (row.LogType == CatalogLogType.TrainingJob ? world : null);
                var updated = row with { ModelName = name, WorldName = w, Track = CatalogTracks.Resolve(w) ?? row.Track, Cloned = row.Cloned ?? cloned };
                if (row.LogType is CatalogLogType.Evaluation or CatalogLogType.Leaderboard && trainer is not null)
                {
                    updated = updated with
                    {
                        BatchSize = trainer.BatchSize,
                        BetaEntropy = trainer.BetaEntropy,
                        DiscountFactor = trainer.DiscountFactor,
                        LossType = trainer.LossType,
                        LearningRate = trainer.LearningRate,
                        NumEpochs = trainer.NumEpochs,
                        NumEpisodesBetweenTraining = trainer.NumEpisodesBetweenTraining,
                    };
                }

                rows[i] = updated;
            }
        }
    }

    private bool IsComplete(CatalogRow row, string database) => row.Status != CatalogStatus.Incomplete && Check(row, Path.Combine(FolderOf(database), row.FileName)) is null;

    /// <summary>What is wrong with a row's file, or null when it matches the row.</summary>
    private static string? Check(CatalogRow row, string path)
    {
        if (File.Exists(path + ".partial"))
        {
            return "a .partial download was left behind";
        }

        if (row.Status == CatalogStatus.Incomplete)
        {
            return row.StatusReason ?? "marked incomplete";
        }

        if (!File.Exists(path))
        {
            return "the file is missing";
        }

        var size = new FileInfo(path).Length;
        if (row.Bytes is { } bytes && size != bytes)
        {
            return $"size {size} bytes, the row says {bytes}";
        }

        if (row.Sha256 is { } sha)
        {
            using var stream = File.OpenRead(path);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (!actual.Equals(sha, StringComparison.OrdinalIgnoreCase))
            {
                return $"sha256 {actual[..12]}..., the row says {sha[..Math.Min(12, sha.Length)]}...";
            }
        }

        return null;
    }

    /// <summary>Checks every row's file (present, size, SHA-256, no <c>.partial</c>) and looks for stray <c>.partial</c> files.</summary>
    public IReadOnlyList<CatalogProblem> Verify()
    {
        var problems = new List<CatalogProblem>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in List())
        {
            known.Add(entry.FilePath + ".partial");
            if (Check(entry.Row, entry.FilePath) is { } problem)
            {
                problems.Add(new CatalogProblem(entry.Row.Key, entry.FilePath, problem));
            }
        }

        foreach (var database in new[] { CloudWatchDatabase, LocalDatabase })
        {
            var folder = FolderOf(database);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var partial in Directory.EnumerateFiles(folder, "*.partial").Where(p => !known.Contains(p)).Order(StringComparer.Ordinal))
            {
                problems.Add(new CatalogProblem(Path.GetFileName(partial), partial, "a .partial download without a row; the next fetch replaces it"));
            }
        }

        return problems;
    }

    /// <summary>Removes rows (by id or key) and, with <paramref name="deleteFiles"/>, their files.</summary>
    /// <exception cref="DeepRacerLogException">An id is not in the catalog.</exception>
    public IReadOnlyList<CatalogEntry> Delete(IEnumerable<string> ids, bool deleteFiles)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var entries = ids.Select(id => Find(id) ?? throw new DeepRacerLogException($"{id} is not in the catalog under {Root}; see 'drlog logs list'.")).ToList();
        foreach (var group in entries.GroupBy(e => e.Database))
        {
            var keys = group.Select(e => e.Row.Key).ToHashSet(StringComparer.Ordinal);
            DatabaseOf(group.Key).Update(rows => rows.RemoveAll(r => keys.Contains(r.Key)));
        }

        if (deleteFiles)
        {
            foreach (var e in entries)
            {
                File.Delete(e.FilePath);
                File.Delete(e.FilePath + ".partial");
            }
        }

        return entries;
    }

    [GeneratedRegex(@"^(training|evaluation|leaderboard)-(\d{14})-(.+)-(robomaker|sagemaker)\.log$")]
    private static partial Regex ConsoleName();

    [GeneratedRegex(@"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)-(.+)-(simulation|training)\.log$")]
    private static partial Regex DroaName();

    [GeneratedRegex(@"\.log(\.\d+)?$")]
    private static partial Regex LogFileName();
}
