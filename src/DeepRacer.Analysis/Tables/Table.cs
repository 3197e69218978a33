namespace DeepRacer.Analysis.Tables;

/// <summary>A small result table of named columns (episodes, stability, ...), printable as table, CSV or JSON.</summary>
public class Table
{
    private readonly Dictionary<string, Column> _byName;

    /// <summary>Creates a table; all columns must have the same length.</summary>
    public Table(IReadOnlyList<Column> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns;
        RowCount = columns.Count == 0 ? 0 : columns[0].Length;
        if (columns.Any(c => c.Length != RowCount))
        {
            throw new ArgumentException("All columns must have the same length.", nameof(columns));
        }

        _byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    /// <summary>The columns, in output order.</summary>
    public IReadOnlyList<Column> Columns { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>True when a column of that name exists.</summary>
    public bool HasColumn(string name) => _byName.ContainsKey(name);

    /// <summary>A column by name.</summary>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    public Column this[string name] => _byName.TryGetValue(name, out var c)
        ? c
        : throw new KeyNotFoundException($"No column '{name}'; columns are: {string.Join(", ", Columns.Select(x => x.Name))}.");

    /// <summary>A typed column's values by name.</summary>
    public ReadOnlySpan<T> Get<T>(string name) => ((Column<T>)this[name]).Values;

    /// <summary>The rows at these indexes, in this order.</summary>
    public Table Select(ReadOnlySpan<int> rows)
    {
        var columns = new Column[Columns.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = Columns[i].Select(rows);
        }

        return Create(columns);
    }

    /// <summary>Row indexes sorted by a column (stable; missing values last).</summary>
    public int[] Order(string column, bool descending = false)
    {
        var c = this[column];
        var rows = Enumerable.Range(0, RowCount).ToArray();
        Comparison<int> compare = descending
            ? (a, b) => IsMissing(c, a) || IsMissing(c, b) ? c.Compare(a, b) : c.Compare(b, a) is var r and not 0 ? r : a.CompareTo(b)
            : (a, b) => c.Compare(a, b) is var r and not 0 ? r : a.CompareTo(b);
        return [.. rows.Order(Comparer<int>.Create(compare))];
    }

    private static bool IsMissing(Column c, int row) =>
        c.Kind == ColumnKind.Text ? c.AsText(row) is null : double.IsNaN(c.AsDouble(row));

    /// <summary>Creates a table of the same type over new columns (overridden by typed tables).</summary>
    protected virtual Table Create(IReadOnlyList<Column> columns) => new(columns);
}
