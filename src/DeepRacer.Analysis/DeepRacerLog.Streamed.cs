using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis;

/// <summary>What a training report reads of the steps, gathered while the simtrace files are streamed, without a step table.</summary>
/// <param name="Episodes">The episode table (as <see cref="DeepRacerLog.LoadEpisodesAsync"/>).</param>
/// <param name="Stability">The step timing (as <see cref="DeepRacerLog.LoadStabilityAsync"/>).</param>
/// <param name="WorkerCount">Workers with steps, as <see cref="StepTable.WorkerCount"/>.</param>
/// <param name="Track">The track, as <see cref="DeepRacerLog.ResolveTrackAsync"/> chooses it from the steps; null when none is known.</param>
/// <param name="TrackError">Why no track is known.</param>
/// <param name="Kept">The steps of the episodes the report draws, numbered as the whole table numbers them.</param>
/// <param name="Heat">The mean reward per heat-map cell of every step, when the track is known.</param>
/// <param name="ActionCounts">The action breakdown's counts of every step over the track's even sections, when the track is known.</param>
internal sealed record StreamedSteps(
    EpisodeTable Episodes,
    StabilityReport Stability,
    int WorkerCount,
    TrackResolution? Track,
    DeepRacerLogException? TrackError,
    StepTable Kept,
    Heatmap? Heat,
    ActionBreakdown? ActionCounts);

public sealed partial class DeepRacerLog
{
    /// <summary>
    /// The training report's figures without a step table: a first read streams every simtrace file into the episode
    /// sums, the stability groups, <c>track_len</c> counts and row counts, and, when the track is given or named by the
    /// logs, feeds every step in table order to the heat map and action counts. When the track must be guessed, a second
    /// read takes the sampled positions from only the files that hold them, and the last read feeds the heat map and
    /// action counts; the last read keeps the rows of the episodes <paramref name="keep"/> picks (only their files, when
    /// nothing else is left to feed). Memory holds the episodes, one heat-map grid and a few files' steps, not the
    /// model's. Null when the steps need a table (logs, simtrace whose rows need reordering, a single worker not numbered 0).
    /// </summary>
    /// <param name="trackName">The user's track (<c>--track</c>), or null to resolve it as <see cref="ResolveTrackAsync"/> does.</param>
    /// <param name="keep">The episodes (rows of the episode table) whose steps the report draws.</param>
    /// <param name="heatCellSize">Edge of a heat-map cell, metres (mean reward, 1 m margin).</param>
    /// <param name="progress">Progress of the first read.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    internal async Task<StreamedSteps?> StreamTrainingAsync(
        string? trackName, Func<EpisodeTable, Table> keep, double heatCellSize, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        const StepTableKind kind = StepTableKind.Training;
        var plan = Plan(kind, TraceKind.Auto);
        if (plan.UseLogs || plan.LogsBesideSimtrace.Count > 0)
        {
            return null;
        }

        // A track given or named by the logs is known before the first read, which then feeds the heat map and action counts too.
        TrackResolution? track = null;
        DeepRacerLogException? trackError = null;
        ModelInfo? info = null;
        if (!string.IsNullOrWhiteSpace(trackName))
        {
            track = TrackResolver.Resolve(trackName, null, null);
        }
        else
        {
            info = await LoadInfoAsync(cancellationToken).ConfigureAwait(false);
            if (!TrackResolver.NeedsSteps(null, info.WorldName))
            {
                track = TrackResolver.ResolveSampled(null, info.WorldName, null);
            }
        }

        StabilityAccumulator? stability = null;
        FileFacts[] facts = [];
        IReadOnlyList<TraceFile> files = [];
        StepViews? views = null;
        var consumers = new StepConsumers(true, (ordered, _) =>
        {
            files = ordered;
            facts = new FileFacts[ordered.Count];
            stability = new StabilityAccumulator(kind, [.. ordered.Select(f => (f.Stream, f.Worker, f.Iteration))]);
            views = track is null ? null : new StepViews(track.Track, heatCellSize, ordered.Count);
            return i => new ChunkConsumers(stability.Open(i), facts[i] = new FileFacts(), views?.Open(i, int.MaxValue) ?? new ChunkConsumers());
        });
        if (await TraceLoader.AggregateSimtraceAsync(Source, plan.Traces, kind, progress, cancellationToken, consumers).ConfigureAwait(false) is not { } episodes)
        {
            return null;
        }

        var withRows = Enumerable.Range(0, files.Count).Where(i => facts[i].Rows > 0).ToList();
        if (!episodes.HasColumn("unique_episode") && withRows.Exists(i => files[i].Worker != 0))
        {
            // One worker not numbered 0: the table numbers its unique episodes, which the episode table does not show.
            return null;
        }

        if (track is null && info is not null)
        {
            var sample = await SampleAsync(files, facts, cancellationToken).ConfigureAwait(false);
            try
            {
                track = TrackResolver.ResolveSampled(null, info.WorldName, () => sample);
            }
            catch (DeepRacerLogException e)
            {
                trackError = e;
            }
        }

        // The heat map and action counts not fed by the first read are fed by the last.
        views ??= track is null ? null : new StepViews(track.Track, heatCellSize, files.Count);
        var kept = await KeptAsync(files, facts, keep(episodes), views is { Started: false } ? views : null, cancellationToken).ConfigureAwait(false);
        var workers = Math.Max(1, withRows.Select(i => files[i].Worker).Distinct().Count());
        return new StreamedSteps(episodes, stability!.Finish(episodes.Report), workers, track, trackError, kept, views?.Heat(), views?.Actions());
    }

    /// <summary>The track guess's sample (<see cref="TrackSample.Of"/>): rows at even strides over the table, read from only the files that hold them.</summary>
    private async Task<TrackSample> SampleAsync(IReadOnlyList<TraceFile> files, FileFacts[] facts, CancellationToken cancellationToken)
    {
        var total = (int)Math.Min(facts.Sum(f => (long)f.Rows), int.MaxValue);
        var (stride, count) = TrackSample.Rows(total);
        var points = new TrackSample.Point[count];
        var reads = new List<(int File, long Offset)>();
        var offset = 0L;
        for (var f = 0; f < files.Count; f++)
        {
            // The first sampled row at or after this file's first row.
            var first = (offset + stride - 1) / stride * stride;
            if (first < offset + facts[f].Rows && first < total)
            {
                reads.Add((f, offset));
            }

            offset += facts[f].Rows;
        }

        await TraceLoader.ReadAgainAsync(
            Source,
            [.. reads.Select(r => files[r.File])],
            false,
            i => new SampleRows(reads[i].Offset, facts[reads[i].File].Rows, stride, points),
            cancellationToken).ConfigureAwait(false);
        return new TrackSample(TrackLenCounts.Mode(facts.Select(f => f.TrackLens)), TrackSample.Finite(points));
    }

    /// <summary>The last read: the rows of the kept episodes, and every step for <paramref name="views"/> when the first read did not feed them.</summary>
    private async Task<StepTable> KeptAsync(
        IReadOnlyList<TraceFile> files, FileFacts[] facts, Table keep, StepViews? views, CancellationToken cancellationToken)
    {
        // Kept episodes by (worker, iteration, episode): in a table that needs no sort each is one run of one file.
        var unique = keep.HasColumn("unique_episode") ? keep["unique_episode"] : keep["episode"];
        var wanted = new Dictionary<(int Worker, int Iteration, int Episode), int>();
        for (var r = 0; r < keep.RowCount; r++)
        {
            // Without a worker column every step is worker 0's (other single workers are left to the table).
            var worker = keep.HasColumn("worker") ? (int)keep["worker"].AsDouble(r) : 0;
            wanted.TryAdd((worker, (int)keep["iteration"].AsDouble(r), (int)keep["episode"].AsDouble(r)), (int)unique.AsDouble(r));
        }

        var read = Enumerable.Range(0, files.Count)
            .Where(f => views is not null || wanted.Keys.Any(k => k.Worker == files[f].Worker && k.Iteration == files[f].Iteration))
            .ToList();
        var captures = new KeptRows[read.Count];
        try
        {
            await TraceLoader.ReadAgainAsync(
                Source,
                [.. read.Select(f => files[f])],
                true,
                i =>
                {
                    var file = files[read[i]];
                    var rows = facts[read[i]].Rows;
                    var capture = captures[i] = new KeptRows(file, rows, wanted);
                    return views is null ? capture : new ChunkConsumers(capture, views.Open(read[i], rows));
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Chunks hold native memory: free what a failed read kept.
            foreach (var (chunk, _) in captures.Where(c => c is not null).SelectMany(c => c.Episodes))
            {
                chunk.Dispose();
            }

            throw;
        }

        var chunks = new List<StepChunk>();
        var uniques = new List<int>();
        foreach (var capture in captures)
        {
            foreach (var (chunk, key) in capture.Episodes)
            {
                chunks.Add(chunk);
                uniques.Add(wanted[key]);
            }
        }

        return StepTableBuilder.Build(StepTableKind.Training, chunks, [], [], LoadReport.Empty, [.. uniques]);
    }

    /// <summary>The heat map (mean reward) and action counts of every step, fed file by file in table order.</summary>
    private sealed class StepViews
    {
        private readonly Track _track;
        private readonly HeatmapGrid _grid;
        private readonly ActionCounter _counter;
        private readonly InOrder<StepColumns> _inOrder;

        public StepViews(Track track, double cellSize, int files)
        {
            _track = track;
            _grid = new HeatmapGrid(track, "reward", HeatmapAggregate.Mean, cellSize, 1);
            _counter = new ActionCounter(track, TrackBreakdown.Even(track));
            _inOrder = new InOrder<StepColumns>(files, part => part.ApplyTo(_grid, _counter));
        }

        /// <summary>Whether a read feeds them already.</summary>
        public bool Started { get; private set; }

        /// <summary>The consumer of file <paramref name="index"/> (table order) that feeds its first <paramref name="rows"/> rows.</summary>
        public IChunkConsumer Open(int index, int rows)
        {
            Started = true;
            return new StepColumns(rows, part => _inOrder.Complete(index, part));
        }

        public Heatmap Heat() => _grid.Build();

        public ActionBreakdown Actions() => new(TrackBreakdown.Even(_track), _counter.Counts(), []);
    }

    /// <summary>A file's row count and <c>track_len</c> counts, from the first read.</summary>
    private sealed class FileFacts : IChunkConsumer
    {
        public int Rows { get; private set; }

        public TrackLenCounts TrackLens { get; } = new();

        public void Consume(StepChunk chunk)
        {
            for (var r = 0; r < chunk.Count; r++)
            {
                TrackLens.Add(chunk.TrackLen.Get(r));
            }

            Rows += chunk.Count;
        }

        public void Close()
        {
        }
    }

    /// <summary>The sampled rows of one file, written to their place in the sample.</summary>
    private sealed class SampleRows(long offset, int rows, int stride, TrackSample.Point[] points) : IChunkConsumer
    {
        private long _row = offset;
        private readonly long _end = offset + rows;

        public void Consume(StepChunk chunk)
        {
            for (var r = 0; r < chunk.Count && _row < _end; r++, _row++)
            {
                if (_row % stride == 0 && _row / stride < points.Length)
                {
                    points[_row / stride] = new TrackSample.Point(chunk.X[r], chunk.Y[r], chunk.ClosestWaypoint[r]);
                }
            }
        }

        public void Close()
        {
        }
    }

    /// <summary>The rows of the kept episodes of one file (only the rows the first read counted).</summary>
    private sealed class KeptRows(TraceFile file, int rows, Dictionary<(int Worker, int Iteration, int Episode), int> wanted) : IChunkConsumer
    {
        private int _row;
        private bool _nonNumericAction;
        private StepChunk? _current;

        public List<(StepChunk Chunk, (int Worker, int Iteration, int Episode) Key)> Episodes { get; } = [];

        public void Consume(StepChunk chunk)
        {
            for (var r = 0; r < chunk.Count && _row < rows; r++, _row++)
            {
                var key = (file.Worker, file.Iteration, chunk.Episode[r]);
                if (!wanted.ContainsKey(key))
                {
                    _current = null;
                    continue;
                }

                if (_current is null || Episodes[^1].Key != key)
                {
                    _current = new StepChunk(64) { File = file.File.Path, FileIteration = file.Iteration, Worker = file.Worker };
                    Episodes.Add((_current, key));
                }

                _current.AppendRow(chunk, r);
                _current.Iteration[_current.Count - 1] = file.Iteration;
            }

            // Set before the file's last block (see StepChunk.NonNumericAction).
            _nonNumericAction = chunk.NonNumericAction;
        }

        public void Close()
        {
            if (_nonNumericAction)
            {
                // The whole-file action rule: a non-integer action anywhere makes every action of the file -1.
                foreach (var (chunk, _) in Episodes)
                {
                    chunk.Action.AsSpan(chunk.Count).Fill(-1);
                }
            }
        }
    }

    /// <summary>What the heat map and action counts read of one file's steps, kept until every earlier file is applied.</summary>
    private sealed class StepColumns(int rows, Action<StepColumns> closed) : IChunkConsumer
    {
        private readonly List<(float X, float Y, double Reward, short Action, float Steering, float Speed, short Waypoint)> _steps = new(Math.Min(rows, 1024));
        private bool _nonNumericAction;

        public void Consume(StepChunk chunk)
        {
            for (var r = 0; r < chunk.Count && _steps.Count < rows; r++)
            {
                _steps.Add((chunk.X[r], chunk.Y[r], chunk.Reward[r], chunk.Action[r], chunk.SteeringAngle[r], chunk.Speed[r], chunk.ClosestWaypoint[r]));
            }

            _nonNumericAction = chunk.NonNumericAction;
        }

        public void Close() => closed(this);

        /// <summary>Adds the file's steps, in file order, as <see cref="Heatmap.Analyze"/> and <see cref="ActionBreakdown.Analyze"/> add a table's.</summary>
        public void ApplyTo(HeatmapGrid grid, ActionCounter counter)
        {
            foreach (var s in _steps)
            {
                var cell = grid.Cell(s.X, s.Y);
                if (cell >= 0)
                {
                    grid.Add(cell, s.Reward);
                }

                counter.Add(_nonNumericAction ? (short)-1 : s.Action, s.Steering, s.Speed, s.Waypoint);
            }
        }
    }

    /// <summary>Applies parts that complete in any order (parallel reads) in index order, each as soon as all before it are applied.</summary>
    private sealed class InOrder<T>(int count, Action<T> apply) where T : class
    {
        private readonly T?[] _done = new T?[count];
        private int _next;

        public void Complete(int index, T part)
        {
            lock (_done)
            {
                _done[index] = part;
                while (_next < count && _done[_next] is { } next)
                {
                    apply(next);
                    _done[_next] = null;
                    _next++;
                }
            }
        }
    }

    /// <summary>Counts of positive <c>track_len</c> values in the order they first appear (<see cref="TrackResolver.CommonTrackLen"/>'s tie rule).</summary>
    private sealed class TrackLenCounts
    {
        private readonly Dictionary<float, int> _counts = [];

        public void Add(float value)
        {
            if (value > 0 && float.IsFinite(value))
            {
                _counts[value] = _counts.GetValueOrDefault(value) + 1;
            }
        }

        /// <summary>The most frequent value over files in table order (the first one on a tie), or null.</summary>
        public static double? Mode(IEnumerable<TrackLenCounts> files)
        {
            var counts = new Dictionary<float, int>();
            foreach (var file in files)
            {
                foreach (var (value, n) in file._counts)
                {
                    counts[value] = counts.GetValueOrDefault(value) + n;
                }
            }

            return counts.Count == 0 ? null : counts.MaxBy(p => p.Value).Key;
        }
    }
}
