namespace DeepRacer.Analysis.Tables;

/// <summary>
/// A run-length encoded column for values that rarely change (<c>track_len</c> is one value per track,
/// <c>pause_duration</c> is 0 through a whole training): one entry per change instead of one per row.
/// </summary>
/// <remarks>Rows are written in increasing order; writing the last row again (a row that failed to parse and is reused) replaces it.</remarks>
internal sealed class RunColumn<T> where T : unmanaged, IEquatable<T>
{
    private readonly List<int> _starts = [];
    private readonly List<T> _values = [];

    /// <summary>Number of runs.</summary>
    public int RunCount => _starts.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(int row, T value)
    {
        var n = _starts.Count;
        if (n > 0 && _values[n - 1].Equals(value))
        {
            return;
        }

        SetSlow(row, value);
    }

    private void SetSlow(int row, T value)
    {
        var n = _starts.Count;
        if (n > 0 && _starts[n - 1] >= row)
        {
            // The last run started at this very row: its value changes.
            _starts.RemoveAt(n - 1);
            _values.RemoveAt(n - 1);
            n--;
            if (n > 0 && _values[n - 1].Equals(value))
            {
                return;
            }
        }

        _starts.Add(row);
        _values.Add(value);
    }

    /// <summary>Forgets rows from <paramref name="count"/> on.</summary>
    public void Truncate(int count)
    {
        while (_starts.Count > 0 && _starts[^1] >= count)
        {
            _starts.RemoveAt(_starts.Count - 1);
            _values.RemoveAt(_values.Count - 1);
        }
    }

    /// <summary>Appends another column's first <paramref name="count"/> rows, shifted to start at <paramref name="offset"/>.</summary>
    public void Append(RunColumn<T> other, int offset, int count)
    {
        for (var i = 0; i < other._starts.Count && other._starts[i] < count; i++)
        {
            Set(offset + other._starts[i], other._values[i]);
        }
    }

    /// <summary>The value of one row (runs are searched; rows before the first run read as default).</summary>
    public T Get(int row)
    {
        var i = _starts.BinarySearch(row);
        if (i < 0)
        {
            i = ~i - 1;
        }

        return i < 0 ? default : _values[i];
    }

    /// <summary>One value per row.</summary>
    public T[] Materialize(int rows)
    {
        var result = new T[rows];
        for (var i = 0; i < _starts.Count; i++)
        {
            var start = Math.Min(_starts[i], rows);
            var end = i + 1 < _starts.Count ? Math.Min(_starts[i + 1], rows) : rows;
            result.AsSpan(start, end - start).Fill(_values[i]);
        }

        return result;
    }

    /// <summary>Encodes an array.</summary>
    public static RunColumn<T> From(ReadOnlySpan<T> values)
    {
        var column = new RunColumn<T>();
        for (var i = 0; i < values.Length; i++)
        {
            column.Set(i, values[i]);
        }

        return column;
    }
}
