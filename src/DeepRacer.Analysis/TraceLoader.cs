using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Internal;
using DeepRacer.Analysis.Sources;
using System.Diagnostics;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis;

/// <summary>Reads trace and log files of a source in parallel into chunks and joins them into a table.</summary>
internal static partial class TraceLoader
{
    // Rows per byte, a little generous, so most chunks never grow: simtrace rows are ~155 bytes, log lines ~110 plus other lines.
    private const int CsvBytesPerRowEstimate = 140;
    private const int LogBytesPerRowEstimate = 160;

    /// <summary>Stopwatch split of the last simtrace load in this process (for the benchmark).</summary>
    internal static LoadTimings LastTimings { get; private set; } = new(false, 0, 0, 0);

    internal sealed record LoadTimings(bool Direct, double CountSeconds, double ParseSeconds, double BuildSeconds);

    public static async Task<StepTable> LoadSimtraceAsync(
        ModelSource source, IReadOnlyList<TraceFile> files, StepTableKind kind, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        if (source is FolderSource && files.Count > 0)
        {
            try
            {
                return await LoadSimtraceDirectAsync(source, files, kind, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (ChunkOverflowException)
            {
                // A file grew between the count and the parse: read everything again the general way.
            }
        }

        return await LoadSimtraceChunkedAsync(source, files, kind, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Local files can be read twice: a first pass counts each file's lines (and sees its header), so every file
    /// parses straight into its own rows of the final, pinned columns. Peak memory is the table itself, and the
    /// join copy disappears; the count pass costs a fast newline scan of data the page cache already holds.
    /// </summary>
    private static async Task<StepTable> LoadSimtraceDirectAsync(
        ModelSource source, IReadOnlyList<TraceFile> files, StepTableKind kind, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var order = new FileOrder(files, kind);
        var ordered = order.Files;

        var counts = new (long Rows, bool WallClock)[ordered.Count];
        await ForEachFileAsync(source, ordered.Count, i => ordered[i].File, (index, stream) => counts[index] = CountRows(stream), cancellationToken).ConfigureAwait(false);

        var total = 0L;
        var offsets = new int[ordered.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            offsets[i] = (int)Math.Min(total, int.MaxValue);
            total += counts[i].Rows;
        }

        if (total > Array.MaxLength)
        {
            throw new DeepRacerLogException($"The model has {total:N0} steps, more than one table can hold ({Array.MaxLength:N0}); load fewer iterations.");
        }

        var counted = Stopwatch.GetTimestamp();
        var table = StepTableBuilder.AllocatePinned(kind, (int)total, counts.Any(c => c.WallClock));
        var statuses = new StatusRegistry();
        var badLines = new BadLineCollector();
        var tracker = new ProgressTracker(files.Sum(f => f.File.Length), files.Count, progress);
        var chunks = new StepChunk[ordered.Count];
        await ForEachFileAsync(
            source,
            ordered.Count,
            i => ordered[i].File,
            (index, stream) =>
            {
                var file = ordered[index];
                var chunk = StepChunk.AttachTo(table, offsets[index], (int)counts[index].Rows);
                chunk.File = file.File.Path;
                chunk.FileIteration = file.Iteration;
                chunk.Worker = file.Worker;
                chunk.StreamIndex = order.StreamOf(file);
                chunks[index] = chunk;
                var parser = new SimtraceCsvParser(chunk, statuses, badLines);
                BlockPump.Run(stream, parser, tracker.AddBytes);
                parser.Complete();
                chunk.Iteration.AsSpan(chunk.Count).Fill(file.Iteration);
                if (!chunk.HasWallClock && chunk.WallClock.IsAllocated)
                {
                    chunk.WallClock.AsSpan(chunk.Count).Fill(double.NaN);
                }

                tracker.FileDone();
            },
            cancellationToken).ConfigureAwait(false);

        var parsed = Stopwatch.GetTimestamp();
        var report = new LoadReport(files.Count, tracker.Bytes, 0, badLines.Count, badLines.First);
        var result = StepTableBuilder.Finish(kind, table, [.. chunks], order.TableStreams, statuses.Names, report);
        LastTimings = new LoadTimings(true, Stopwatch.GetElapsedTime(started, counted).TotalSeconds, Stopwatch.GetElapsedTime(counted, parsed).TotalSeconds, Stopwatch.GetElapsedTime(parsed).TotalSeconds);
        return result;
    }

    /// <summary>Upper bound of a simtrace file's rows (its lines but the header), and whether its header has a wall clock.</summary>
    private static (long Rows, bool WallClock) CountRows(Stream stream)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long lines = 0;
            var last = (byte)'\n';
            var first = true;
            var wallClock = false;
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                var block = buffer.AsSpan(0, read);
                if (first)
                {
                    // The header is far shorter than a block.
                    var end = block.IndexOf((byte)'\n');
                    wallClock = (end < 0 ? block : block[..end]).IndexOf("wall_clock"u8) >= 0;
                    first = false;
                }

                lines += block.Count((byte)'\n');
                last = block[^1];
            }

            if (last != (byte)'\n')
            {
                lines++;
            }

            return (Math.Max(0, lines - 1), wallClock);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Trace files in the order the step table holds their rows (<see cref="StepTableBuilder.CompareFiles"/>), and the
    /// stream names evaluation and leaderboard rows are numbered by; the direct load and the streamed episodes share it.
    /// </summary>
    private sealed class FileOrder
    {
        private readonly List<string> _streams;
        private readonly bool _training;

        public FileOrder(IReadOnlyList<TraceFile> files, StepTableKind kind)
        {
            _training = kind == StepTableKind.Training;
            _streams = files.Select(f => f.Stream).Distinct().Order(StringComparer.Ordinal).ToList();
            Files = [.. files];
            Files.Sort((a, b) => StepTableBuilder.CompareFiles(kind, a.File.Path, a.Iteration, a.Worker, StreamOf(a), b.File.Path, b.Iteration, b.Worker, StreamOf(b)));
        }

        public List<TraceFile> Files { get; }

        /// <summary>The streams the table names: none for training, whose rows carry workers instead.</summary>
        public IReadOnlyList<string> TableStreams => _training ? [] : _streams;

        public int StreamOf(TraceFile file) => _training ? -1 : _streams.BinarySearch(file.Stream, StringComparer.Ordinal);
    }

    private static async Task<StepTable> LoadSimtraceChunkedAsync(
        ModelSource source, IReadOnlyList<TraceFile> files, StepTableKind kind, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var streams = files.Select(f => f.Stream).Distinct().Order(StringComparer.Ordinal).ToList();
        var statuses = new StatusRegistry();
        var badLines = new BadLineCollector();
        var tracker = new ProgressTracker(files.Sum(f => f.File.Length), files.Count, progress);
        var chunks = await ParseChunksAsync(
            source,
            [.. files.Select(f => f.File)],
            index => new StepChunk(EstimateRows(files[index].File.Length, CsvBytesPerRowEstimate))
            {
                File = files[index].File.Path,
                FileIteration = files[index].Iteration,
                Worker = files[index].Worker,
                StreamIndex = kind == StepTableKind.Training ? -1 : streams.BinarySearch(files[index].Stream, StringComparer.Ordinal),
            },
            (index, stream, chunk) =>
            {
                var parser = new SimtraceCsvParser(chunk, statuses, badLines);
                BlockPump.Run(stream, parser, tracker.AddBytes);
                parser.Complete();
                chunk.Iteration.AsSpan(chunk.Count).Fill(files[index].Iteration);
                tracker.FileDone();
            },
            cancellationToken).ConfigureAwait(false);

        var parsed = Stopwatch.GetTimestamp();
        var report = new LoadReport(files.Count, tracker.Bytes, 0, badLines.Count, badLines.First);
        var table = StepTableBuilder.Build(kind, chunks, kind == StepTableKind.Training ? [] : streams, statuses.Names, report);
        LastTimings = new LoadTimings(false, 0, Stopwatch.GetElapsedTime(started, parsed).TotalSeconds, Stopwatch.GetElapsedTime(parsed).TotalSeconds);
        return table;
    }

    public static async Task<(StepTable Table, LogMetadata? Metadata)> LoadLogsAsync(
        ModelSource source, IReadOnlyList<LogFile> files, StepTableKind kind, ModelLayout layout, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        var streams = files.Select(f => f.Stream).Distinct().Order(StringComparer.Ordinal).ToList();
        var statuses = new StatusRegistry();
        var badLines = new BadLineCollector();
        var tracker = new ProgressTracker(files.Sum(f => f.File.Length), files.Count, progress);
        var metadata = new LogMetadata?[files.Count];
        Hyperparameters? fileHyperparameters = null;
        if (kind == StepTableKind.Training && layout.Hyperparameters is { } hp)
        {
            fileHyperparameters = Hyperparameters.Parse(await source.ReadAllBytesAsync(hp, cancellationToken).ConfigureAwait(false), hp.Path);
        }

        var chunks = await ParseChunksAsync(
            source,
            [.. files.Select(f => f.File)],
            index => new StepChunk(EstimateRows(files[index].File.Length, LogBytesPerRowEstimate))
            {
                File = files[index].File.Path,
                FileIteration = 0,
                StreamIndex = kind == StepTableKind.Training ? -1 : streams.BinarySearch(files[index].Stream, StringComparer.Ordinal),
            },
            (index, stream, chunk) =>
            {
                var parser = new SimTraceLogParser(chunk, statuses, badLines);
                BlockPump.Run(stream, parser, tracker.AddBytes);
                var header = parser.Metadata();
                metadata[index] = header;

                // Logs carry no iteration: the reference derives it from the episode number (spec 3.4).
                var perIteration = kind == StepTableKind.Training
                    ? header.Hyperparameters?.NumEpisodesBetweenTraining ?? fileHyperparameters?.NumEpisodesBetweenTraining ?? 20
                    : 20;
                perIteration = Math.Max(1, perIteration);
                for (var i = 0; i < chunk.Count; i++)
                {
                    chunk.Iteration[i] = chunk.Episode[i] / perIteration;
                }

                tracker.FileDone();
            },
            cancellationToken).ConfigureAwait(false);

        var report = new LoadReport(files.Count, tracker.Bytes, 0, badLines.Count, badLines.First);
        var table = StepTableBuilder.Build(kind, chunks, kind == StepTableKind.Training ? [] : streams, statuses.Names, report);
        return (table, metadata.FirstOrDefault(m => m is not null));
    }

    /// <summary>Reads files in parallel, each into a new chunk; if any fails, every chunk made so far is freed.</summary>
    private static async Task<List<StepChunk>> ParseChunksAsync(
        ModelSource source,
        IReadOnlyList<SourceFile> files,
        Func<int, StepChunk> create,
        Action<int, Stream, StepChunk> parse,
        CancellationToken cancellationToken)
    {
        var chunks = new List<StepChunk>(files.Count);
        try
        {
            await ForEachFileAsync(
                source,
                files.Count,
                i => files[i],
                (index, stream) =>
                {
                    var chunk = create(index);
                    lock (chunks)
                    {
                        chunks.Add(chunk);
                    }

                    parse(index, stream, chunk);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            foreach (var chunk in chunks)
            {
                chunk.Dispose();
            }

            throw;
        }

        return chunks;
    }

    /// <summary>Opens each file and reads it on the source's parallel reads.</summary>
    private static Task ForEachFileAsync(ModelSource source, int count, Func<int, SourceFile> fileOf, Action<int, Stream> read, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = source.MaxParallelReads, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                await using var stream = await source.OpenReadAsync(fileOf(index), ct).ConfigureAwait(false);
                read(index, stream);
            });

    /// <summary>Reads only the header metadata of a log (trace lines are skipped, not stored).</summary>
    public static LogMetadata ReadHeader(Stream stream, string name)
    {
        var parser = new HeaderOnlyParser(name);
        BlockPump.Run(stream, parser);
        return parser.Metadata.Build();
    }

    private static int EstimateRows(long bytes, int bytesPerRow) => (int)Math.Min(Math.Max(bytes / bytesPerRow, 16), int.MaxValue / 2);

    private sealed class HeaderOnlyParser(string name) : LineParser
    {
        public LogMetadataParser Metadata { get; } = new(name);

        protected override void ParseLine(ReadOnlySpan<byte> line, bool isLastLineWithoutNewline)
        {
            if (line.IndexOf("SIM_TRACE_LOG"u8) < 0)
            {
                Metadata.Add(line);
            }
        }
    }

    /// <summary>Counts bytes across the parallel reads and reports at most every 4 MB.</summary>
    private sealed class ProgressTracker(long totalBytes, int totalFiles, IProgress<LoadProgress>? progress)
    {
        private const long ReportEvery = 4 << 20;
        private long _bytes;
        private long _nextReport = ReportEvery;
        private int _files;

        public long Bytes => Interlocked.Read(ref _bytes);

        public void AddBytes(long count)
        {
            var now = Interlocked.Add(ref _bytes, count);
            if (progress is not null && now >= Interlocked.Read(ref _nextReport))
            {
                Interlocked.Exchange(ref _nextReport, now + ReportEvery);
                progress.Report(new LoadProgress(now, totalBytes, Volatile.Read(ref _files), totalFiles));
            }
        }

        public void FileDone()
        {
            var files = Interlocked.Increment(ref _files);
            if (progress is not null && files == totalFiles)
            {
                progress.Report(new LoadProgress(Bytes, totalBytes, files, totalFiles));
            }
        }
    }
}
