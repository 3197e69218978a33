namespace DeepRacer.Analysis.Tables;

/// <summary>The kind of values a <see cref="Column"/> holds.</summary>
public enum ColumnKind
{
    /// <summary>Whole numbers.</summary>
    Integer,
    /// <summary>Floating-point numbers; NaN means missing.</summary>
    Real,
    /// <summary>Text; null means missing.</summary>
    Text,
    /// <summary>True or false.</summary>
    Boolean,
}

/// <summary>A named column of a result <see cref="Table"/>.</summary>
public abstract class Column
{
    private protected Column(string name) => Name = name;

    /// <summary>The column name, as the Python tools name it.</summary>
    public string Name { get; }

    /// <summary>What the column holds.</summary>
    public abstract ColumnKind Kind { get; }

    /// <summary>Number of values.</summary>
    public abstract int Length { get; }

    /// <summary>Value as a number (integers widen; text is NaN).</summary>
    public abstract double AsDouble(int row);

    /// <summary>Value as text; null for text columns' missing values.</summary>
    public abstract string? AsText(int row);

    /// <summary>Compares two rows (missing values sort last).</summary>
    public abstract int Compare(int a, int b);

    /// <summary>True when the value is missing (NaN or null).</summary>
    public abstract bool IsMissing(int row);

    /// <summary>
    /// The value at full precision, invariant culture, shortest text that reads back to the same value
    /// (float32 columns print as float32, so 3.1998970 stays 3.199897); empty when missing; <c>inf</c>/<c>-inf</c> as pandas writes them.
    /// </summary>
    public abstract string Format(int row);

    /// <summary>Writes <see cref="Format"/>'s text into <paramref name="destination"/> without making a string; false when it does not fit.</summary>
    /// <param name="row">The row.</param>
    /// <param name="destination">Where the text goes.</param>
    /// <param name="charsWritten">Characters written.</param>
    public virtual bool TryFormat(int row, Span<char> destination, out int charsWritten)
    {
        var text = Format(row);
        charsWritten = text.Length;
        return text.AsSpan().TryCopyTo(destination);
    }

    internal abstract Column Select(ReadOnlySpan<int> rows);
}

/// <summary>A column of <typeparamref name="T"/> values.</summary>
public sealed class Column<T> : Column
{
    private readonly T[] _values;

    /// <summary>Creates a column over an array (not copied).</summary>
    public Column(string name, T[] values) : base(name)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values;
    }

    /// <summary>The values.</summary>
    public ReadOnlySpan<T> Values => _values;

    /// <summary>One value.</summary>
    public T this[int row] => _values[row];

    /// <inheritdoc/>
    public override ColumnKind Kind => typeof(T) == typeof(double) || typeof(T) == typeof(float) ? ColumnKind.Real
        : typeof(T) == typeof(string) ? ColumnKind.Text
        : typeof(T) == typeof(bool) ? ColumnKind.Boolean
        : ColumnKind.Integer;

    /// <inheritdoc/>
    public override bool IsMissing(int row) => _values[row] switch
    {
        null => true,
        double d => double.IsNaN(d),
        float f => float.IsNaN(f),
        _ => false,
    };

    /// <inheritdoc/>
    public override string Format(int row) => _values[row] switch
    {
        null => "",
        double d => double.IsNaN(d) ? "" : double.IsInfinity(d) ? (d > 0 ? "inf" : "-inf") : d.ToString("R", CultureInfo.InvariantCulture),
        float f => float.IsNaN(f) ? "" : float.IsInfinity(f) ? (f > 0 ? "inf" : "-inf") : f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        string s => s,
        var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    /// <inheritdoc/>
    public override bool TryFormat(int row, Span<char> destination, out int charsWritten)
    {
        // Numbers format straight into the span (a CSV of a large table would otherwise make a string per cell).
        var value = _values[row];
        if (typeof(T) == typeof(double))
        {
            var d = Unsafe.As<T, double>(ref value);
            if (double.IsFinite(d))
            {
                return d.TryFormat(destination, out charsWritten, "R", CultureInfo.InvariantCulture);
            }
        }
        else if (typeof(T) == typeof(float))
        {
            var f = Unsafe.As<T, float>(ref value);
            if (float.IsFinite(f))
            {
                return f.TryFormat(destination, out charsWritten, "R", CultureInfo.InvariantCulture);
            }
        }
        else if (typeof(T) == typeof(int))
        {
            return Unsafe.As<T, int>(ref value).TryFormat(destination, out charsWritten, default, CultureInfo.InvariantCulture);
        }
        else if (typeof(T) == typeof(string))
        {
            var text = Unsafe.As<T, string?>(ref value) ?? "";
            charsWritten = text.Length;
            return text.AsSpan().TryCopyTo(destination);
        }

        return base.TryFormat(row, destination, out charsWritten);
    }

    /// <inheritdoc/>
    public override int Length => _values.Length;

    /// <inheritdoc/>
    public override double AsDouble(int row) => _values[row] switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        bool x => x ? 1 : 0,
        _ => double.NaN,
    };

    /// <inheritdoc/>
    public override string? AsText(int row) => _values[row] switch
    {
        string s => s,
        null => null,
        var v => Convert.ToString(v, CultureInfo.InvariantCulture),
    };

    /// <inheritdoc/>
    public override int Compare(int a, int b)
    {
        if (Kind == ColumnKind.Text)
        {
            return string.CompareOrdinal(AsText(a), AsText(b));
        }

        double x = AsDouble(a), y = AsDouble(b);
        return double.IsNaN(x) ? (double.IsNaN(y) ? 0 : 1) : double.IsNaN(y) ? -1 : x.CompareTo(y);
    }

    internal override Column Select(ReadOnlySpan<int> rows)
    {
        var values = new T[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = _values[rows[i]];
        }

        return new Column<T>(Name, values);
    }
}
