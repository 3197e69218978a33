using System.Collections.Concurrent;
using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Internal;
using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis;

internal static partial class TraceLoader
{
    /// <summary>
    /// The one loop of the streamed loads: parses simtrace files in parallel, block by block, into pooled chunks and hands
    /// each block to its file's consumer; no step table is built.
    /// </summary>
    /// <param name="source">Where the files are.</param>
    /// <param name="files">The files to read.</param>
    /// <param name="allColumns">Store every column; otherwise only what episodes are summed from (see <see cref="SimtraceCsvParser"/>).</param>
    /// <param name="open">The consumer of a file by its index in <paramref name="files"/>, called on the parse thread.</param>
    /// <param name="statuses">The load's status names.</param>
    /// <param name="badLines">The load's skipped lines.</param>
    /// <param name="tracker">Progress, or null.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    private static async Task StreamFilesAsync(
        ModelSource source,
        IReadOnlyList<TraceFile> files,
        bool allColumns,
        Func<int, IChunkConsumer> open,
        StatusRegistry statuses,
        BadLineCollector badLines,
        ProgressTracker? tracker,
        CancellationToken cancellationToken)
    {
        var pool = new ConcurrentBag<StepChunk>();
        try
        {
            await ForEachFileAsync(
                source,
                files.Count,
                i => files[i].File,
                (index, stream) =>
                {
                    if (!pool.TryTake(out var chunk))
                    {
                        chunk = new StepChunk(StreamChunkRows);
                    }

                    try
                    {
                        chunk.Truncate(0);
                        chunk.File = files[index].File.Path;
                        chunk.HasWallClock = false;
                        chunk.HasPauseDuration = false;
                        chunk.NonNumericAction = false;
                        var consumer = open(index);
                        var parser = new SimtraceCsvParser(chunk, statuses, badLines, episodeColumnsOnly: !allColumns);
                        BlockPump.Run(stream, parser, bytes =>
                        {
                            tracker?.AddBytes(bytes);
                            consumer.Consume(chunk);
                            chunk.Truncate(0);
                        });
                        parser.Complete();
                        chunk.NonNumericAction = parser.HasNonNumericAction;
                        consumer.Consume(chunk);
                        chunk.Truncate(0);
                        consumer.Close();
                        tracker?.FileDone();
                    }
                    finally
                    {
                        pool.Add(chunk);
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var chunk in pool)
            {
                chunk.Dispose();
            }
        }
    }

    /// <summary>Reads some simtrace files again (a streamed load's later pass) and feeds their blocks to consumers; lines are not reported twice.</summary>
    public static Task ReadAgainAsync(ModelSource source, IReadOnlyList<TraceFile> files, bool allColumns, Func<int, IChunkConsumer> open, CancellationToken cancellationToken) =>
        StreamFilesAsync(source, files, allColumns, open, new StatusRegistry(), new BadLineCollector(), null, cancellationToken);
}
