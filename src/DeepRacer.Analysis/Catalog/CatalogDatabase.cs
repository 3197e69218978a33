using System.Text;

namespace DeepRacer.Analysis.Catalog;

/// <summary>A row of the CSV that could not be read; it is kept verbatim and written back as it was.</summary>
/// <param name="Line">1-based line where the record starts.</param>
/// <param name="Text">The record as it is in the file.</param>
/// <param name="Problem">What is wrong with it.</param>
public sealed record MalformedCatalogRow(int Line, string Text, string Problem);

/// <summary>What a CSV database file holds.</summary>
/// <param name="Rows">Well-formed rows, newest first.</param>
/// <param name="Malformed">Rows that could not be read (kept in the file).</param>
public sealed record CatalogSnapshot(IReadOnlyList<CatalogRow> Rows, IReadOnlyList<MalformedCatalogRow> Malformed);

/// <summary>
/// One CSV database file (<c>cloudwatch_logs.csv</c> or <c>local_training_logs.csv</c>).
/// Every change re-reads the file under a lock file and replaces it atomically (temp file, fsync, rename),
/// so concurrent runs and a kill at any point lose no committed row.
/// </summary>
public sealed class CatalogDatabase
{
    /// <summary>The columns, in file order: the original tool's 23, then ours.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "id", "model_name", "log_type", "world_name", "cloned", "fetched_at", "first_event_timestamp", "last_event_timestamp",
        "max_steering_angle", "steering_angle_granularity", "max_speed", "speed_granularity", "batch_size", "beta_entropy",
        "discount_factor", "loss_type", "learning_rate", "num_epochs", "num_episodes_between_training", "n_trials",
        "training_job_duration", "s3_bucket", "s3_prefix",
        "status", "status_reason", "events", "bytes", "sha256", "track",
    ];

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private readonly string _lockPath;

    /// <summary>Opens (without reading) the database at <paramref name="path"/>; the lock file sits beside it.</summary>
    public CatalogDatabase(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = System.IO.Path.GetFullPath(path);
        _lockPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, ".lock");
    }

    /// <summary>The CSV file.</summary>
    public string Path { get; }

    /// <summary>How long to wait for another run's lock before giving up.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Reads the file; a missing file is an empty database.</summary>
    /// <exception cref="DeepRacerLogException">The header is not a catalog header.</exception>
    public CatalogSnapshot Read()
    {
        if (!File.Exists(Path))
        {
            return new CatalogSnapshot([], []);
        }

        return Parse(File.ReadAllText(Path, Encoding.UTF8), Path);
    }

    /// <summary>Applies <paramref name="change"/> to the current rows under the lock and atomically replaces the file.</summary>
    /// <returns>The snapshot that was written.</returns>
    public CatalogSnapshot Update(Action<List<CatalogRow>> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var held = AcquireLock();
        var current = Read();
        var rows = current.Rows.ToList();
        change(rows);

        // A row the code rebuilt (a re-fetch, a repair) keeps the values the user added by hand in columns of their own.
        var extras = current.Rows.Where(r => r.Extra.Count > 0).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.First().Extra, StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Extra.Count == 0 && extras.TryGetValue(rows[i].Key, out var extra))
            {
                rows[i] = rows[i] with { Extra = extra };
            }
        }

        var sorted = Sort(rows);
        WriteAtomically(Format(sorted, current.Malformed));
        return new CatalogSnapshot(sorted, current.Malformed);
    }

    /// <summary>Newest first: by last event, then first event, then fetch time, then key.</summary>
    public static List<CatalogRow> Sort(IEnumerable<CatalogRow> rows) => [.. NewestFirst(rows, r => r)];

    internal static IOrderedEnumerable<T> NewestFirst<T>(IEnumerable<T> items, Func<T, CatalogRow> row) =>
        items.OrderByDescending(x => row(x).LastEventTimestamp ?? row(x).FirstEventTimestamp ?? row(x).FetchedAt ?? DateTimeOffset.MinValue)
            .ThenByDescending(x => row(x).FetchedAt ?? DateTimeOffset.MinValue)
            .ThenBy(x => row(x).Key, StringComparer.Ordinal);

    private FileStream AcquireLock()
    {
        // FileShare.None takes an exclusive flock on Unix and a share lock on Windows; the kernel drops it when the
        // process dies, so a killed run never leaves a stale lock behind.
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(Random.Shared.Next(5, 30));
            }
            catch (IOException e)
            {
                throw new DeepRacerLogException($"{_lockPath}: another drlog run has held the catalog lock for over {LockTimeout.TotalSeconds:0} s; wait for it to finish and retry.", e);
            }
        }
    }

    private void WriteAtomically(string text)
    {
        var temp = Path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                stream.Write(bytes);
                // Data must be on disk before the rename makes it the database, or a crash could leave an empty file.
                stream.Flush(flushToDisk: true);
            }

            // rename(2) replaces the file in one step: a reader or a crash sees the old database or the new one, never half.
            // (The directory itself is not fsynced, .NET cannot open one; a power cut may then keep the old file, which still
            // holds every row committed before this one.)
            File.Move(temp, Path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Renders rows as CSV text (header, rows, then malformed records verbatim).</summary>
    public static string Format(IEnumerable<CatalogRow> rows, IEnumerable<MalformedCatalogRow>? malformed = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        var extra = list.SelectMany(r => r.Extra.Keys).Distinct(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Columns.Concat(extra).Select(Quote))).Append('\n');
        foreach (var row in list)
        {
            sb.Append(string.Join(',', Fields(row).Concat(extra.Select(e => row.Extra.GetValueOrDefault(e, ""))).Select(Quote))).Append('\n');
        }

        foreach (var bad in malformed ?? [])
        {
            sb.Append(bad.Text).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The row's values as the CSV writes them, in <see cref="Columns"/> order.</summary>
    public static IReadOnlyList<string> Fields(CatalogRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return
        [
            row.Id, row.ModelName ?? "", row.LogType, row.WorldName ?? "", row.Cloned is { } c ? (c ? "true" : "false") : "",
            Time(row.FetchedAt), Time(row.FirstEventTimestamp), Time(row.LastEventTimestamp),
            Num(row.MaxSteeringAngle), Num(row.SteeringAngleGranularity), Num(row.MaxSpeed), Num(row.SpeedGranularity),
            Num(row.BatchSize), Num(row.BetaEntropy), Num(row.DiscountFactor), row.LossType ?? "", Num(row.LearningRate),
            Num(row.NumEpochs), Num(row.NumEpisodesBetweenTraining), Num(row.NTrials), Num(row.TrainingJobDuration),
            row.S3Bucket ?? "", row.S3Prefix ?? "",
            row.Status.ToString().ToLowerInvariant(), row.StatusReason ?? "", Num(row.Events), Num(row.Bytes), row.Sha256 ?? "", row.Track ?? "",
        ];
    }

    private static string Time(DateTimeOffset? t) => t?.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture) ?? "";

    private static string Num(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static string Num(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Num(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    /// <summary>Parses CSV text; records that do not fit are returned as malformed, not dropped.</summary>
    /// <exception cref="DeepRacerLogException">The first line is not a catalog header.</exception>
    public static CatalogSnapshot Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = SplitRecords(text).ToList();
        if (records.Count == 0)
        {
            return new CatalogSnapshot([], []);
        }

        var header = records[0].Fields.Select(f => f.Trim()).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            index.TryAdd(header[i], i);
        }

        if (!index.ContainsKey("id") || !index.ContainsKey("log_type"))
        {
            throw new DeepRacerLogException($"{source}: the first line is not a catalog header (it needs at least the id and log_type columns); restore it or move the file away.");
        }

        // Columns that are not ours were added by the user: kept per row and written back.
        var known = new HashSet<string>(Columns, StringComparer.Ordinal);
        var extraColumns = Enumerable.Range(0, header.Count).Where(i => header[i].Length > 0 && !known.Contains(header[i]) && index[header[i]] == i).ToList();
        var rows = new List<CatalogRow>();
        var malformed = new List<MalformedCatalogRow>();
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count == 1 && record.Fields[0].Length == 0)
            {
                continue;
            }

            if (record.Fields.Count != header.Count)
            {
                malformed.Add(new MalformedCatalogRow(record.Line, record.Text, $"{record.Fields.Count} fields, the header has {header.Count}"));
                continue;
            }

            try
            {
                var row = ToRow(record.Fields, index);
                if (extraColumns.Count > 0)
                {
                    row = row with { Extra = extraColumns.ToDictionary(c => header[c], c => record.Fields[c], StringComparer.Ordinal) };
                }

                rows.Add(row);
            }
            catch (FormatException e)
            {
                malformed.Add(new MalformedCatalogRow(record.Line, record.Text, e.Message));
            }
        }

        return new CatalogSnapshot(Sort(rows), malformed);
    }

    private static CatalogRow ToRow(IReadOnlyList<string> fields, Dictionary<string, int> index)
    {
        string? Get(string name) => index.TryGetValue(name, out var i) && fields[i].Length > 0 ? fields[i] : null;
        double? D(string name) => Get(name) is { } v
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new FormatException($"{name} '{v}' is not a number")
            : null;
        int? I(string name) => Get(name) is { } v
            ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) ? d : throw new FormatException($"{name} '{v}' is not a whole number")
            : null;
        long? L(string name) => Get(name) is { } v
            ? long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) ? d : throw new FormatException($"{name} '{v}' is not a whole number")
            : null;
        DateTimeOffset? T(string name) => Get(name) is { } v
            ? DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
                ? t
                : throw new FormatException($"{name} '{v}' is not a date (use e.g. 2022-06-12T08:28:53.000Z)")
            : null;

        var id = Get("id") ?? throw new FormatException("id is empty");
        var type = Get("log_type") ?? throw new FormatException("log_type is empty");
        if (!CatalogLogType.All.Contains(type))
        {
            throw new FormatException($"log_type '{type}' is not one of {string.Join(", ", CatalogLogType.All)}");
        }

        var status = Get("status") switch
        {
            null or "ok" => CatalogStatus.Ok,
            "invalid" => CatalogStatus.Invalid,
            "incomplete" => CatalogStatus.Incomplete,
            var s => throw new FormatException($"status '{s}' is not ok, invalid or incomplete"),
        };
        var cloned = Get("cloned")?.ToLowerInvariant() switch
        {
            null => (bool?)null,
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            var s => throw new FormatException($"cloned '{s}' is not true or false"),
        };

        return new CatalogRow
        {
            Id = id,
            ModelName = Get("model_name"),
            LogType = type,
            WorldName = Get("world_name"),
            Cloned = cloned,
            FetchedAt = T("fetched_at"),
            FirstEventTimestamp = T("first_event_timestamp"),
            LastEventTimestamp = T("last_event_timestamp"),
            MaxSteeringAngle = D("max_steering_angle"),
            SteeringAngleGranularity = I("steering_angle_granularity"),
            MaxSpeed = D("max_speed"),
            SpeedGranularity = I("speed_granularity"),
            BatchSize = I("batch_size"),
            BetaEntropy = D("beta_entropy"),
            DiscountFactor = D("discount_factor"),
            LossType = Get("loss_type"),
            LearningRate = D("learning_rate"),
            NumEpochs = I("num_epochs"),
            NumEpisodesBetweenTraining = I("num_episodes_between_training"),
            NTrials = I("n_trials"),
            TrainingJobDuration = D("training_job_duration"),
            S3Bucket = Get("s3_bucket"),
            S3Prefix = Get("s3_prefix"),
            Status = status,
            StatusReason = Get("status_reason"),
            Events = L("events"),
            Bytes = L("bytes"),
            Sha256 = Get("sha256"),
            Track = Get("track"),
        };
    }

    private sealed record Record(int Line, string Text, List<string> Fields);

    /// <summary>RFC 4180 records: quoted fields may hold commas, quotes ("") and newlines.</summary>
    private static IEnumerable<Record> SplitRecords(string text)
    {
        var line = 1;
        var pos = 0;
        while (pos < text.Length)
        {
            var startLine = line;
            var start = pos;
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var atFieldStart = true;
            while (pos < text.Length)
            {
                var c = text[pos];
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (pos + 1 < text.Length && text[pos + 1] == '"')
                        {
                            field.Append('"');
                            pos += 2;
                            continue;
                        }

                        quoted = false;
                        pos++;
                        continue;
                    }

                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                    pos++;
                    continue;
                }

                if (c == '"' && atFieldStart)
                {
                    quoted = true;
                    atFieldStart = false;
                    pos++;
                    continue;
                }

                if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    pos++;
                    continue;
                }

                if (c is '\n' or '\r')
                {
                    break;
                }

                field.Append(c);
                atFieldStart = false;
                pos++;
            }

            fields.Add(field.ToString());
            var end = pos;
            if (pos < text.Length && text[pos] == '\r')
            {
                pos++;
            }

            if (pos < text.Length && text[pos] == '\n')
            {
                pos++;
                line++;
            }

            yield return new Record(startLine, text[start..end], fields);
        }
    }
}
