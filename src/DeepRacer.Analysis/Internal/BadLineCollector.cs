using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Internal;

/// <summary>Counts skipped lines across the parallel parses of one load and keeps the first few.</summary>
internal sealed class BadLineCollector
{
    private readonly Lock _lock = new();
    private readonly List<BadLine> _first = [];
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Add(string file, long lineNumber, string reason)
    {
        Interlocked.Increment(ref _count);
        lock (_lock)
        {
            if (_first.Count < LoadReport.MaxReportedBadLines)
            {
                _first.Add(new BadLine(file, lineNumber, reason));
            }
        }
    }

    public IReadOnlyList<BadLine> First
    {
        get
        {
            lock (_lock)
            {
                return [.. _first.OrderBy(b => b.File, StringComparer.Ordinal).ThenBy(b => b.LineNumber)];
            }
        }
    }
}
