using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis;

/// <summary>
/// Consumers a streamed simtrace load (<see cref="TraceLoader.AggregateSimtraceAsync"/>) feeds every block to, beside the
/// episode sums: one per file, opened on the parse threads.
/// </summary>
/// <param name="AllColumns">Whether the consumers read columns an episodes-only parse does not store (wall clock, action, steering, track length).</param>
/// <param name="Open">Called once with the files in table order and their stream numbers; returns the consumer of a file by its index in that order.</param>
internal sealed record StepConsumers(bool AllColumns, Func<IReadOnlyList<TraceFile>, Func<TraceFile, int>, Func<int, IChunkConsumer>> Open);
