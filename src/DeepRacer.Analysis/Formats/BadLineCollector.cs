using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Formats;

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
            // Keep the first lines by (file, line), not by arrival: files are parsed in parallel.
            var line = new BadLine(file, lineNumber, reason);
            if (_first.Count < LoadReport.MaxReportedBadLines)
            {
                _first.Add(line);
                return;
            }

            var last = 0;
            for (var i = 1; i < _first.Count; i++)
            {
                if (Compare(_first[i], _first[last]) > 0)
                {
                    last = i;
                }
            }

            if (Compare(line, _first[last]) < 0)
            {
                _first[last] = line;
            }
        }
    }

    private static int Compare(BadLine a, BadLine b) =>
        string.CompareOrdinal(a.File, b.File) is var c and not 0 ? c : a.LineNumber.CompareTo(b.LineNumber);

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
