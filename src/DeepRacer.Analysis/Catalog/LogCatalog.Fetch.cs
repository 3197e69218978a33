using System.Security.Cryptography;
using System.Text;
using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Catalog;

// Fetch: downloads CloudWatch logs into the catalog.
public sealed partial class LogCatalog
{
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
    /// <returns>One result per log, and a <see cref="CatalogOutcome.NoGroup"/> result per requested group the account does not have.</returns>
    /// <exception cref="DeepRacerLogException">None of the requested groups exists in the client's region, or a request failed for good.</exception>
    public async Task<IReadOnlyList<CatalogItemResult>> FetchAsync(CloudWatchLogsClient client, FetchRequest request, IProgress<CatalogProgress>? progress = null,
        Action<CatalogItemResult>? onResult = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var todo = new List<(CloudWatchGroup Group, LogStreamInfo Stream, string Id)>();
        var results = new List<CatalogItemResult>();
        var missing = new List<string>();
        foreach (var group in request.Groups.Distinct())
        {
            var streams = new List<LogStreamInfo>();
            foreach (var prefix in request.Ids.Count == 0 ? [null] : request.Ids.Select(i => (string?)i))
            {
                if (await client.TryDescribeLogStreamsAsync(GroupName(group), prefix, cancellationToken).ConfigureAwait(false) is not { } found)
                {
                    streams = null;
                    break;
                }

                streams.AddRange(found);
            }

            if (streams is null)
            {
                // Said, not counted as "0 fetched": a wrong region or account looks exactly like this.
                missing.Add(GroupName(group));
                results.Add(new CatalogItemResult(GroupName(group), CatalogOutcome.NoGroup, null, $"no such log group in {client.Region}"));
                onResult?.Invoke(results[^1]);
                continue;
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

        if (missing.Count > 0 && missing.Count == request.Groups.Distinct().Count())
        {
            throw new DeepRacerLogException(missing.Count == 1
                ? $"Log group {missing[0]} does not exist in {client.Region} for these credentials: check the region and the account."
                : $"None of the log groups {string.Join(", ", missing)} exists in {client.Region} for these credentials: check the region and the account.");
        }

        var existing = CloudWatch.Read().Rows;
        for (var i = 0; i < todo.Count; i++)
        {
            var (group, stream, id) = todo[i];
            progress?.Report(new CatalogProgress(id, i, todo.Count, 0));
            var current = existing.Where(r => r.Id == id && TypesOf(group, id).Contains(r.LogType)).ToList();
            if (!request.Force && current.Count > 0 && current.All(r => IsComplete(r, CloudWatchDatabase) && (stream.LastEventTimestamp is null || r.LastEventTimestamp >= stream.LastEventTimestamp)))
            {
                results.Add(new CatalogItemResult(current[0].Key, CatalogOutcome.Skipped, current[0].Status, "already complete"));
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
        var named = DroaJobType(id, group);
        await using var pages = client.ReadStreamAsync(GroupName(group), stream.Name, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        string? type = named;
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
                        if (named is null && (ev.Message.Contains("JOB_TYPE", StringComparison.Ordinal) || ev.Message.Contains("Training Worker Args", StringComparison.Ordinal)))
                        {
                            type = classifier.Build().LogType;
                        }

                        if (type is null && header.Count < 5000)
                        {
                            continue;
                        }

                        type ??= DefaultType(group, id);
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
                type = named ?? facts.LogType ?? DefaultType(group, id);
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
            Commit(CloudWatchDatabase, row, TypesOf(group, id));
            return new CatalogItemResult(row.Key, CatalogOutcome.Fetched, row.Status, row.StatusReason);
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
            type ??= facts.LogType ?? CloudWatch.Read().Rows.FirstOrDefault(r => r.Id == id && TypesOf(group, id).Contains(r.LogType))?.LogType ?? DefaultType(group, id);
            var row = BuildRow(id, type, facts, events, bytes, null, first, last) with
            {
                Status = CatalogStatus.Incomplete,
                StatusReason = "download interrupted: " + e.Message,
                Sha256 = null,
            };
            Commit(CloudWatchDatabase, row, facts.LogType is not null || named is not null ? TypesOf(group, id) : []);
            return new CatalogItemResult(row.Key, CatalogOutcome.Failed, CatalogStatus.Incomplete, e.Message);
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

    /// <summary>The type a log of this group most likely has before its job description is read.</summary>
    private static string DefaultType(CloudWatchGroup group, string id) => group switch
    {
        CloudWatchGroup.Sagemaker or CloudWatchGroup.DroaTraining => CatalogLogType.TrainingJob,
        CloudWatchGroup.Leaderboard => CatalogLogType.Leaderboard,
        // DRfC streams are container names: deepracer-0_rl_coach.1.x and the sagemaker container train, robomaker simulates.
        CloudWatchGroup.Drfc when id.Contains("sagemaker", StringComparison.OrdinalIgnoreCase) || id.Contains("rl_coach", StringComparison.Ordinal)
            || id.Contains("algo-", StringComparison.Ordinal) => CatalogLogType.TrainingJob,
        _ => CatalogLogType.SimulationJob,
    };

    /// <summary>
    /// The log types one job of a group can have. A log of the same job under another of these types is an earlier guess and is
    /// replaced; other types are another log of the job (DeepRacer on AWS names its trainer and simulation streams alike).
    /// </summary>
    private static IReadOnlyList<string> TypesOf(CloudWatchGroup group, string id) => DroaJobType(id, group) is { } named
        ? [named]
        : group switch
        {
            CloudWatchGroup.DroaTraining => [CatalogLogType.TrainingJob],
            CloudWatchGroup.DroaSimulation => [CatalogLogType.SimulationJob],
            _ => CatalogLogType.All,
        };

    /// <summary>The job id of a stream: its first path segment (<c>sim-ggd6pry2r37m/2022-.../SimulationApplicationLogs</c>, <c>job-name/algo-1-123</c>).</summary>
    public static string JobId(string streamName)
    {
        ArgumentNullException.ThrowIfNull(streamName);
        var slash = streamName.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? streamName[..slash] : streamName;
    }

}
