using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis;

internal static partial class TraceLoader
{
    // Rows a parse chunk starts with: a 1 MB block holds about 7,000 simtrace rows, so it rarely grows.
    private const int StreamChunkRows = 8192;

    /// <summary>
    /// Aggregates simtrace files into episodes while parsing them, block by block, without a step table: memory holds
    /// one block per parallel read and one sum per episode. Returns null when the rows would need the step table's sort
    /// (a file whose steps go backwards, an episode split over files): the caller then aggregates a loaded table.
    /// </summary>
    /// <remarks>
    /// The result equals <see cref="EpisodeTable.Aggregate(StepTable)"/> of the loaded table: every sum goes through
    /// <see cref="EpisodeAccumulator.Add"/> in table order. Only the first difference of each file depends on the previous
    /// file's last row; when that row is not a <c>prepare</c> row (whose difference is 0 whatever precedes it), the file's
    /// first episode keeps its few rows until the files are joined in table order.
    /// </remarks>
    /// <param name="source">Where the files are.</param>
    /// <param name="files">The simtrace files.</param>
    /// <param name="kind">Training, evaluation or leaderboard.</param>
    /// <param name="progress">Load progress.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <param name="consumers">More consumers fed the same blocks beside the episode sums (stability, report views); their results are valid when the result is not null.</param>
    public static async Task<EpisodeTable?> AggregateSimtraceAsync(
        ModelSource source, IReadOnlyList<TraceFile> files, StepTableKind kind, IProgress<LoadProgress>? progress, CancellationToken cancellationToken, StepConsumers? consumers = null)
    {
        var order = new FileOrder(files, kind);
        var ordered = order.Files;
        var openMore = consumers?.Open(ordered, order.StreamOf);
        if (kind == StepTableKind.Training && ordered.Find(f => f.Worker > byte.MaxValue) is { } big)
        {
            throw StepTableBuilder.TooManyWorkers(big.File.Path, big.Worker);
        }

        var statuses = new StatusRegistry();
        var badLines = new BadLineCollector();
        var tracker = new ProgressTracker(files.Sum(f => f.File.Length), files.Count, progress);
        var results = new FileEpisodes?[ordered.Count];
        await StreamFilesAsync(
            source,
            ordered,
            consumers is { AllColumns: true },
            index =>
            {
                var episodes = results[index] = new FileEpisodes(kind);
                return openMore is null ? episodes : new ChunkConsumers(episodes, openMore(index));
            },
            statuses,
            badLines,
            tracker,
            cancellationToken).ConfigureAwait(false);

        var rows = results.Sum(r => r!.Rows);
        var report = new LoadReport(files.Count, tracker.Bytes, (int)Math.Min(rows, int.MaxValue), badLines.Count, badLines.First);
        return Join(kind, ordered, results, order.StreamOf, order.TableStreams, report);
    }

    /// <summary>Numbers the files' episodes as the step table would and checks that the table would need no sort; null when it would.</summary>
    private static EpisodeTable? Join(
        StepTableKind kind, List<TraceFile> files, FileEpisodes?[] results, Func<TraceFile, int> streamOf, IReadOnlyList<string> streams, LoadReport report)
    {
        var training = kind == StepTableKind.Training;
        var numbering = training ? UniqueEpisodeNumbering.Of(files, results) : null;
        var total = 0;
        var previousKey = long.MinValue;
        (int A, int B) previousGroup = default;
        FileEpisodes? previousFile = null;
        for (var f = 0; f < files.Count; f++)
        {
            var file = files[f];
            var result = results[f]!;
            if (result.Rows == 0)
            {
                continue;
            }

            var runs = CollectionsMarshal.AsSpan(result.Runs);
            if (result.Deferred is { } deferred)
            {
                runs[0].Sum = Replay(deferred, previousFile);
            }

            var stream = streamOf(file);
            foreach (ref var run in runs)
            {
                run.Unique = numbering?.Of(file.Worker, file.Iteration, run.Episode) ?? 0;

                // The step table's sort keys (StepTableBuilder.FinishRows) and group keys (EpisodeTable.Groups).
                long firstKey, lastKey;
                (int, int) group;
                if (training)
                {
                    firstKey = ((long)run.Unique << 32) | (uint)run.FirstSteps;
                    lastKey = ((long)run.Unique << 32) | (uint)run.LastSteps;
                    group = (run.Unique, file.Iteration);
                }
                else
                {
                    var head = ((long)stream << 48) | ((long)(run.Episode & 0xFFFFFF) << 24);
                    firstKey = head | (uint)(run.FirstSteps & 0xFFFFFF);
                    lastKey = head | (uint)(run.LastSteps & 0xFFFFFF);
                    group = (stream, run.Episode);
                }

                if (!run.StepsInOrder || firstKey < previousKey || (total > 0 && group == previousGroup))
                {
                    return null;
                }

                previousKey = lastKey;
                previousGroup = group;
                total++;
            }

            previousFile = result;
        }

        var multiWorker = training && numbering!.WorkerCount > 1;
        return EpisodeTable.Build(kind, multiWorker, total, Episodes(files, results, streamOf, training), false, streams, report);
    }

    /// <summary>The files' episodes in table order; each file's runs are let go once read.</summary>
    private static IEnumerable<(EpisodeKey, EpisodeAccumulator)> Episodes(List<TraceFile> files, FileEpisodes?[] results, Func<TraceFile, int> streamOf, bool training)
    {
        for (var f = 0; f < files.Count; f++)
        {
            var file = files[f];
            var stream = streamOf(file);
            foreach (var run in results[f]!.Runs)
            {
                yield return (new EpisodeKey(file.Iteration, run.Episode, run.Unique, training ? file.Worker : 0, stream, run.StartAt), run.Sum);
            }

            results[f] = null;
        }
    }

    /// <summary>The sums of a file's first episode, whose first difference is from the previous file's last row.</summary>
    private static EpisodeAccumulator Replay(List<StepRow> rows, FileEpisodes? previousFile)
    {
        var sum = EpisodeAccumulator.Create();
        var hasPrevious = previousFile is not null;
        double t = previousFile?.LastTstamp ?? 0;
        float x = previousFile?.LastX ?? 0, y = previousFile?.LastY ?? 0;
        foreach (var row in rows)
        {
            var (dt, dd) = EpisodeAccumulator.Delta(row.Status, hasPrevious, row.Tstamp, row.X, row.Y, t, x, y);
            sum.Add(dt, dd, row.Steps, row.Progress, row.Reward, row.Speed, row.Status);
            (hasPrevious, t, x, y) = (true, row.Tstamp, row.X, row.Y);
        }

        return sum;
    }

    /// <summary>One step, kept only for a file's first episode until the previous file is known.</summary>
    private readonly record struct StepRow(int Steps, double Progress, double Reward, float Speed, EpisodeStatus Status, double Tstamp, float X, float Y);

    /// <summary>A run of rows of one episode in one file, with its sums.</summary>
    private struct EpisodeRun
    {
        public int Episode;
        public int FirstSteps;
        public int LastSteps;
        public bool StepsInOrder;
        public int StartAt;
        public int Unique;
        public EpisodeAccumulator Sum;
    }

    /// <summary>The episodes of one file, summed block by block as its rows are parsed.</summary>
    private sealed class FileEpisodes(StepTableKind kind) : IChunkConsumer
    {
        private EpisodeRun _run;
        private bool _inRun;
        private bool _deferring;

        public List<EpisodeRun> Runs { get; } = [];

        /// <summary>The first episode's rows, when its first difference needs the previous file (see <see cref="Replay"/>).</summary>
        public List<StepRow>? Deferred { get; private set; }

        public long Rows { get; private set; }

        public int MinEpisode { get; private set; } = int.MaxValue;

        public int MaxEpisode { get; private set; } = int.MinValue;

        public double LastTstamp { get; private set; }

        public float LastX { get; private set; }

        public float LastY { get; private set; }

        /// <summary>Sums the chunk's rows (the loader empties it for the next block).</summary>
        public void Consume(StepChunk chunk)
        {
            var count = chunk.Count;
            for (var r = 0; r < count; r++)
            {
                var episode = chunk.Episode[r];
                var steps = chunk.Steps[r];
                var status = chunk.Status[r];
                double tstamp = chunk.Tstamp[r];
                float x = chunk.X[r], y = chunk.Y[r];
                MinEpisode = Math.Min(MinEpisode, episode);
                MaxEpisode = Math.Max(MaxEpisode, episode);
                if (!_inRun || episode != _run.Episode)
                {
                    if (_inRun)
                    {
                        Runs.Add(_run);
                        _deferring = false;
                    }

                    _run = new EpisodeRun { Episode = episode, FirstSteps = steps, LastSteps = steps, StepsInOrder = true, StartAt = chunk.ClosestWaypoint[r], Sum = EpisodeAccumulator.Create() };
                    _inRun = true;
                }
                else
                {
                    _run.StepsInOrder &= StepKey(steps) >= StepKey(_run.LastSteps);
                    _run.LastSteps = steps;
                }

                if (Rows == 0 && status != EpisodeStatus.Prepare)
                {
                    _deferring = true;
                    Deferred = [];
                }

                if (_deferring)
                {
                    Deferred!.Add(new StepRow(steps, chunk.Progress[r], chunk.Reward[r], chunk.Speed[r], status, tstamp, x, y));
                }
                else
                {
                    var (dt, dd) = EpisodeAccumulator.Delta(status, Rows > 0, tstamp, x, y, LastTstamp, LastX, LastY);
                    _run.Sum.Add(dt, dd, steps, chunk.Progress[r], chunk.Reward[r], chunk.Speed[r], status);
                }

                LastTstamp = tstamp;
                LastX = x;
                LastY = y;
                Rows++;
            }
        }

        /// <summary>Ends the last episode of the file.</summary>
        public void Close()
        {
            if (_inRun)
            {
                Runs.Add(_run);
                _inRun = false;
            }

            // Kept until all files are read: no spare capacity (a 5 GB model has 50,000 files).
            Runs.TrimExcess();
        }

        /// <summary>The part of the table's sort key that orders steps within an episode (StepTableBuilder.FinishRows).</summary>
        private long StepKey(int steps) => kind == StepTableKind.Training ? (uint)steps : (uint)(steps & 0xFFFFFF);
    }

    /// <summary>
    /// unique_episode as <see cref="StepTableBuilder.UniqueEpisodes"/> numbers it, from the files' rows per worker and iteration.
    /// </summary>
    private sealed class UniqueEpisodeNumbering
    {
        private int[] _perWorker = [];
        private int[] _before = [];
        private int _total;
        private bool _episodeIsUnique;

        /// <summary>Distinct workers with rows (at least 1), as <see cref="StepTable.WorkerCount"/>.</summary>
        public int WorkerCount { get; private init; }

        public static UniqueEpisodeNumbering Of(List<TraceFile> files, FileEpisodes?[] results)
        {
            var withRows = Enumerable.Range(0, files.Count).Where(i => results[i]!.Rows > 0).ToList();
            var workerCount = Math.Max(1, withRows.Select(i => files[i].Worker).Distinct().Count());
            var numbering = new UniqueEpisodeNumbering { WorkerCount = workerCount };
            if (workerCount <= 1 && withRows.TrueForAll(i => files[i].Worker == 0))
            {
                numbering._episodeIsUnique = true;
                return numbering;
            }

            var maxWorker = withRows.Count == 0 ? 0 : withRows.Max(i => files[i].Worker);
            var firstIteration = new int[maxWorker + 1];
            Array.Fill(firstIteration, int.MaxValue);
            foreach (var i in withRows)
            {
                ref var first = ref firstIteration[files[i].Worker];
                first = Math.Min(first, files[i].Iteration);
            }

            var minEpisode = new int[maxWorker + 1];
            var maxEpisode = new int[maxWorker + 1];
            Array.Fill(minEpisode, int.MaxValue);
            Array.Fill(maxEpisode, int.MinValue);
            foreach (var i in withRows)
            {
                var w = files[i].Worker;
                if (files[i].Iteration == firstIteration[w])
                {
                    minEpisode[w] = Math.Min(minEpisode[w], results[i]!.MinEpisode);
                    maxEpisode[w] = Math.Max(maxEpisode[w], results[i]!.MaxEpisode);
                }
            }

            numbering._perWorker = new int[maxWorker + 1];
            numbering._before = new int[maxWorker + 1];
            for (var w = 0; w <= maxWorker; w++)
            {
                numbering._perWorker[w] = firstIteration[w] == int.MaxValue ? 0 : maxEpisode[w] - minEpisode[w] + 1;
                numbering._before[w] = numbering._total;
                numbering._total += numbering._perWorker[w];
            }

            return numbering;
        }

        public int Of(int worker, int iteration, int episode)
        {
            if (_episodeIsUnique)
            {
                return episode;
            }

            var e = _perWorker[worker];
            return (e == 0 ? 0 : episode % e) + _before[worker] + iteration * _total;
        }
    }
}
