using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Internal;

/// <summary>Reads trace and log files of a source in parallel into chunks and joins them into a table.</summary>
internal static class TraceLoader
{
    // Rows per byte, a little generous, so most chunks never grow: simtrace rows are ~155 bytes, log lines ~110 plus other lines.
    private const int CsvBytesPerRowEstimate = 140;
    private const int LogBytesPerRowEstimate = 160;

    public static async Task<StepTable> LoadSimtraceAsync(
        ModelSource source, IReadOnlyList<TraceFile> files, StepTableKind kind, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        var streams = files.Select(f => f.Stream).Distinct().Order(StringComparer.Ordinal).ToList();
        var statuses = new StatusRegistry();
        var badLines = new BadLineCollector();
        var tracker = new ProgressTracker(files.Sum(f => f.File.Length), files.Count, progress);
        var chunks = new List<StepChunk>(files.Count);
        try
        {
            await Parallel.ForEachAsync(
                files,
                new ParallelOptions { MaxDegreeOfParallelism = source.MaxParallelReads, CancellationToken = cancellationToken },
                async (file, ct) =>
                {
                    await using var stream = await source.OpenReadAsync(file.File, ct).ConfigureAwait(false);
                    var chunk = new StepChunk(EstimateRows(file.File.Length, CsvBytesPerRowEstimate))
                    {
                        File = file.File.Path,
                        FileIteration = file.Iteration,
                        Worker = file.Worker,
                        StreamIndex = kind == StepTableKind.Training ? -1 : streams.BinarySearch(file.Stream, StringComparer.Ordinal),
                    };
                    lock (chunks)
                    {
                        chunks.Add(chunk);
                    }

                    var parser = new SimtraceCsvParser(chunk, statuses, badLines);
                    BlockPump.Run(stream, parser, tracker.AddBytes);
                    parser.Complete();
                    chunk.Iteration.AsSpan(chunk.Count).Fill(file.Iteration);
                    tracker.FileDone();
                }).ConfigureAwait(false);
        }
        catch
        {
            foreach (var chunk in chunks)
            {
                chunk.Dispose();
            }

            throw;
        }

        var report = new LoadReport(files.Count, tracker.Bytes, 0, badLines.Count, badLines.First);
        return StepTableBuilder.Build(kind, chunks, kind == StepTableKind.Training ? [] : streams, statuses.Names, report);
    }

    public static async Task<(StepTable Table, LogMetadata? Metadata)> LoadLogsAsync(
        ModelSource source, IReadOnlyList<LogFile> files, StepTableKind kind, ModelLayout layout, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        var streams = files.Select(f => f.Stream).Distinct().Order(StringComparer.Ordinal).ToList();
        var statuses = new StatusRegistry();
        var badLines = new BadLineCollector();
        var tracker = new ProgressTracker(files.Sum(f => f.File.Length), files.Count, progress);
        var chunks = new List<StepChunk>(files.Count);
        var metadata = new LogMetadata?[files.Count];
        Hyperparameters? fileHyperparameters = null;
        if (kind == StepTableKind.Training && layout.Hyperparameters is { } hp)
        {
            fileHyperparameters = Hyperparameters.Parse(await source.ReadAllBytesAsync(hp, cancellationToken).ConfigureAwait(false), hp.Path);
        }

        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, files.Count),
                new ParallelOptions { MaxDegreeOfParallelism = source.MaxParallelReads, CancellationToken = cancellationToken },
                async (index, ct) =>
                {
                    var file = files[index];
                    await using var stream = await source.OpenReadAsync(file.File, ct).ConfigureAwait(false);
                    var chunk = new StepChunk(EstimateRows(file.File.Length, LogBytesPerRowEstimate))
                    {
                        File = file.File.Path,
                        FileIteration = 0,
                        StreamIndex = kind == StepTableKind.Training ? -1 : streams.BinarySearch(file.Stream, StringComparer.Ordinal),
                    };
                    lock (chunks)
                    {
                        chunks.Add(chunk);
                    }

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
                }).ConfigureAwait(false);
        }
        catch
        {
            foreach (var chunk in chunks)
            {
                chunk.Dispose();
            }

            throw;
        }

        var report = new LoadReport(files.Count, tracker.Bytes, 0, badLines.Count, badLines.First);
        var table = StepTableBuilder.Build(kind, chunks, kind == StepTableKind.Training ? [] : streams, statuses.Names, report);
        return (table, metadata.FirstOrDefault(m => m is not null));
    }

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
