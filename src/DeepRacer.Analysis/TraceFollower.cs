using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis;

/// <summary>What one poll of a <see cref="TraceFollower"/> found.</summary>
/// <param name="Steps">The steps after this poll (null while the source has none of this kind).</param>
/// <param name="FilesLoaded">Files read this poll (new, or all of them after a reload).</param>
/// <param name="FilesWaiting">New files not loaded yet: still being written, or not yet seen twice at the same size.</param>
/// <param name="Reloaded">True when a file already loaded changed or vanished, so everything was read again.</param>
public sealed record TraceUpdate(StepTable? Steps, IReadOnlyList<string> FilesLoaded, IReadOnlyList<string> FilesWaiting, bool Reloaded)
{
    /// <summary>True when the steps changed this poll.</summary>
    public bool Changed => FilesLoaded.Count > 0;
}

/// <summary>
/// Follows the traces of a running training or evaluation: each poll lists the source and reads only the files
/// that are new since the last poll, appending their steps (<see cref="StepTable.Concat"/>).
/// </summary>
/// <remarks>
/// A file caught mid-write is never loaded half: a simtrace file is taken when it ends with a complete line whose
/// <c>done</c> is <c>True</c> (every iteration file ends with an episode's last step), and, for sources without
/// ETags (folders), when its size and time are the same as one poll earlier. A file that stays unchanged but
/// unfinished for <see cref="SettleTime"/> (a training stopped mid-episode) is taken as it is. The bytes checked
/// are the bytes parsed. Logs-only sources (no simtrace) read their robomaker/simulation logs again when they change.
/// </remarks>
public sealed class TraceFollower
{
    private readonly ModelSource _source;
    private readonly StepTableKind _kind;
    private readonly Dictionary<string, Signature> _loaded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private bool _first = true;

    /// <summary>Creates a follower; nothing is read until <see cref="PollAsync"/>.</summary>
    /// <param name="source">The model source (not owned: the caller disposes it).</param>
    /// <param name="kind">Training, evaluation or leaderboard steps.</param>
    public TraceFollower(ModelSource source, StepTableKind kind)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _kind = kind;
    }

    /// <summary>How long an unchanged but unfinished file waits before it is loaded as it is.</summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The steps loaded so far, or null.</summary>
    public StepTable? Steps { get; private set; }

    /// <summary>Lists the source and loads what is new and complete.</summary>
    /// <exception cref="DeepRacerLogException">The source cannot be listed or read.</exception>
    public async Task<TraceUpdate> PollAsync(CancellationToken cancellationToken = default)
    {
        var files = await _source.ListAsync(cancellationToken).ConfigureAwait(false);
        if (files.Count == 0)
        {
            return new TraceUpdate(Steps, [], [], false);
        }

        var layout = _source is SingleFileSource ? ModelLayout.ForSingleFile(files[0]) : ModelLayout.Detect(files);
        IReadOnlyList<TraceFile> traces = _kind switch
        {
            StepTableKind.Training => layout.TrainingTraces,
            StepTableKind.Evaluation => layout.EvaluationTraces,
            _ => [],
        };
        if (_source is SingleFileSource && files[0].Path.EndsWith(".log", StringComparison.OrdinalIgnoreCase))
        {
            traces = [];
        }

        return traces.Count == 0
            ? await PollLogsAsync(layout, cancellationToken).ConfigureAwait(false)
            : await PollSimtraceAsync(traces, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TraceUpdate> PollSimtraceAsync(IReadOnlyList<TraceFile> traces, CancellationToken cancellationToken)
    {
        var current = traces.ToDictionary(t => t.File.Path, StringComparer.Ordinal);
        var reload = _loaded.Any(l => !current.TryGetValue(l.Key, out var t) || Signature.Of(t.File) != l.Value);
        if (_first || reload)
        {
            return await LoadAllAsync(traces, reload, cancellationToken).ConfigureAwait(false);
        }

        var fresh = traces.Where(t => !_loaded.ContainsKey(t.File.Path)).ToList();
        var (ready, waiting) = await CheckAsync(fresh, cancellationToken).ConfigureAwait(false);
        if (ready.Count > 0)
        {
            await AppendAsync(ready, cancellationToken).ConfigureAwait(false);
        }

        return new TraceUpdate(Steps, [.. ready.Select(r => r.Trace.File.Path)], waiting, false);
    }

    /// <summary>
    /// The first poll (or a reload) reads every file straight from the source, the fast way; only the last file of
    /// each worker and run can be mid-write, so only those are checked first.
    /// </summary>
    private async Task<TraceUpdate> LoadAllAsync(IReadOnlyList<TraceFile> traces, bool reload, CancellationToken cancellationToken)
    {
        _first = false;
        _loaded.Clear();
        _pending.Clear();
        var lastOfGroup = traces.GroupBy(t => (t.Worker, t.Stream)).Select(g => g.MaxBy(t => t.Iteration)!).ToList();
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var last in lastOfGroup)
        {
            var bytes = await _source.ReadAllBytesAsync(last.File, cancellationToken).ConfigureAwait(false);
            if (!IsComplete(bytes))
            {
                _pending[last.File.Path] = new Pending(Signature.Of(last.File), DateTimeOffset.UtcNow);
                waiting.Add(last.File.Path);
            }
        }

        var load = traces.Where(t => !waiting.Contains(t.File.Path)).ToList();
        Steps = load.Count == 0 ? null : await TraceLoader.LoadSimtraceAsync(_source, load, _kind, null, cancellationToken).ConfigureAwait(false);
        foreach (var t in load)
        {
            _loaded[t.File.Path] = Signature.Of(t.File);
        }

        return new TraceUpdate(Steps, [.. load.Select(t => t.File.Path)], [.. waiting], reload);
    }

    private async Task<(List<(TraceFile Trace, byte[] Bytes)> Ready, List<string> Waiting)> CheckAsync(List<TraceFile> fresh, CancellationToken cancellationToken)
    {
        var ready = new List<(TraceFile, byte[])>();
        var waiting = new List<string>();
        foreach (var trace in fresh)
        {
            var path = trace.File.Path;
            var signature = Signature.Of(trace.File);
            var seen = _pending.TryGetValue(path, out var pending) && pending.Signature == signature;
            var since = seen ? pending!.Since : DateTimeOffset.UtcNow;

            // Without an ETag the object is not atomic: wait until one poll saw the same size and time.
            if (trace.File.ETag is null && !seen)
            {
                _pending[path] = new Pending(signature, since);
                waiting.Add(path);
                continue;
            }

            var bytes = await _source.ReadAllBytesAsync(trace.File, cancellationToken).ConfigureAwait(false);
            if (bytes.Length == 0 || (!IsComplete(bytes) && DateTimeOffset.UtcNow - since < SettleTime))
            {
                _pending[path] = new Pending(signature, since);
                waiting.Add(path);
                continue;
            }

            _pending.Remove(path);
            ready.Add((trace, bytes));
        }

        return (ready, waiting);
    }

    private async Task AppendAsync(List<(TraceFile Trace, byte[] Bytes)> ready, CancellationToken cancellationToken)
    {
        using var snapshot = new SnapshotSource(_source.Description, ready.ToDictionary(r => r.Trace.File.Path, r => r.Bytes, StringComparer.Ordinal));
        var added = await TraceLoader.LoadSimtraceAsync(snapshot, [.. ready.Select(r => r.Trace)], _kind, null, cancellationToken).ConfigureAwait(false);
        Steps = Steps is null ? added : StepTable.Concat(Steps, added);
        foreach (var (trace, _) in ready)
        {
            _loaded[trace.File.Path] = Signature.Of(trace.File);
        }
    }

    /// <summary>Logs grow line by line: read them again when they changed and held still for a poll (or are atomic objects).</summary>
    private async Task<TraceUpdate> PollLogsAsync(ModelLayout layout, CancellationToken cancellationToken)
    {
        IReadOnlyList<LogFile> logs = _kind switch
        {
            StepTableKind.Training => layout.FolderType == FolderType.SingleFile ? layout.TrainingLogs : [.. layout.TrainingLogs.Take(1)],
            StepTableKind.Evaluation => layout.EvaluationLogs,
            _ => layout.LeaderboardLogs,
        };
        var changed = logs.Where(l => !_loaded.TryGetValue(l.File.Path, out var s) || s != Signature.Of(l.File)).ToList();
        if (changed.Count == 0 && logs.Count == _loaded.Count)
        {
            return new TraceUpdate(Steps, [], [], false);
        }

        var unsettled = _first ? [] : changed.Where(l => l.File.ETag is null && !(_pending.TryGetValue(l.File.Path, out var p) && p.Signature == Signature.Of(l.File))).ToList();
        if (unsettled.Count > 0)
        {
            foreach (var l in unsettled)
            {
                _pending[l.File.Path] = new Pending(Signature.Of(l.File), DateTimeOffset.UtcNow);
            }

            return new TraceUpdate(Steps, [], [.. unsettled.Select(l => l.File.Path)], false);
        }

        var reload = !_first;
        _first = false;
        _pending.Clear();
        _loaded.Clear();
        var (table, _) = await TraceLoader.LoadLogsAsync(_source, logs, _kind, layout, null, cancellationToken).ConfigureAwait(false);
        Steps = table.RowCount == 0 ? null : table;
        foreach (var l in logs)
        {
            _loaded[l.File.Path] = Signature.Of(l.File);
        }

        return new TraceUpdate(Steps, [.. logs.Select(l => l.File.Path)], [], reload);
    }

    /// <summary>True when the CSV ends with a full line whose <c>done</c> field is <c>True</c>.</summary>
    internal static bool IsComplete(ReadOnlySpan<byte> csv)
    {
        if (csv.IsEmpty || csv[^1] != (byte)'\n')
        {
            return false;
        }

        var headerEnd = csv.IndexOf((byte)'\n');
        var header = csv[..headerEnd].TrimEnd((byte)'\r');
        var doneIndex = -1;
        var index = 0;
        foreach (var range in header.Split((byte)','))
        {
            if (header[range].SequenceEqual("done"u8))
            {
                doneIndex = index;
            }

            index++;
        }

        var body = csv[..^1].TrimEnd((byte)'\r');
        if (body.Length <= headerEnd)
        {
            // A header alone: the file was just created.
            return false;
        }

        if (doneIndex < 0)
        {
            return true;
        }

        var last = body[(body.LastIndexOf((byte)'\n') + 1)..];
        index = 0;
        foreach (var range in last.Split((byte)','))
        {
            if (index++ == doneIndex)
            {
                return last[range].SequenceEqual("True"u8) || last[range].SequenceEqual("true"u8) || last[range].SequenceEqual("1"u8);
            }
        }

        return false;
    }

    private sealed record Signature(long Length, string? ETag, DateTimeOffset? LastModified)
    {
        public static Signature Of(SourceFile file) => new(file.Length, file.ETag, file.LastModified);
    }

    private sealed record Pending(Signature Signature, DateTimeOffset Since);

    /// <summary>Files already downloaded and checked, served from memory so the parser reads exactly those bytes.</summary>
    private sealed class SnapshotSource(string description, Dictionary<string, byte[]> files) : ModelSource
    {
        public override string Description => description;

        public override Task<IReadOnlyList<SourceFile>> ListAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<SourceFile>>([.. files.Select(f => new SourceFile(f.Key, f.Value.Length))]);

        public override Task<Stream> OpenReadAsync(SourceFile file, CancellationToken cancellationToken = default) =>
            Task.FromResult<Stream>(new MemoryStream(files[file.Path], writable: false));
    }
}
