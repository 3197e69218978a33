namespace DeepRacer.Analysis.Analyses;

/// <summary>The pandas/numpy statistics the analyses need, with the same conventions (sample std, NaN skipped).</summary>
internal static class Statistics
{
    /// <summary>Mean of the non-NaN values; NaN when there are none (pandas <c>mean</c>).</summary>
    public static double Mean(IEnumerable<double> values)
    {
        double sum = 0;
        var n = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                sum += v;
                n++;
            }
        }

        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>Sample standard deviation (ddof 1) of the non-NaN values; NaN for fewer than two (pandas <c>std</c>).</summary>
    public static double Std(IEnumerable<double> values)
    {
        var list = values.Where(v => !double.IsNaN(v)).ToList();
        if (list.Count < 2)
        {
            return double.NaN;
        }

        var mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
    }

    /// <summary>Smallest non-NaN value, or NaN.</summary>
    public static double Min(IEnumerable<double> values) => values.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Min();

    /// <summary>Largest non-NaN value, or NaN.</summary>
    public static double Max(IEnumerable<double> values) => values.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Max();

    /// <summary>numpy's <c>linspace(start, stop, count)</c>: start + i·step, the last value exactly stop.</summary>
    public static double[] Linspace(double start, double stop, int count)
    {
        var result = new double[count];
        var step = (stop - start) / (count - 1);
        for (var i = 0; i < count; i++)
        {
            result[i] = (i * step) + start;
        }

        result[^1] = stop;
        return result;
    }

    /// <summary>numpy's <c>histogram(values, bins)</c> over equal bins, including its edge corrections.</summary>
    public static (int[] Counts, double[] Edges) Histogram(double[] values, int bins, (double Min, double Max)? range = null)
    {
        double lo, hi;
        if (range is { } r)
        {
            (lo, hi) = r;
        }
        else if (values.Length == 0)
        {
            (lo, hi) = (0, 1);
        }
        else
        {
            (lo, hi) = (values.Min(), values.Max());
        }

        if (lo == hi)
        {
            // numpy widens an empty range by half a unit each side.
            lo -= 0.5;
            hi += 0.5;
        }

        var edges = Linspace(lo, hi, bins + 1);
        var counts = new int[bins];
        var norm = bins / (hi - lo);
        foreach (var v in values)
        {
            if (v < lo || v > hi)
            {
                continue;
            }

            var i = (int)((v - lo) * norm);
            if (i == bins)
            {
                i--;
            }

            // Rounding can put a value next to an edge into the neighbouring bin; numpy corrects against the edges.
            if (v < edges[i])
            {
                i--;
            }
            else if (i != bins - 1 && v >= edges[i + 1])
            {
                i++;
            }

            counts[i]++;
        }

        return (counts, edges);
    }

    /// <summary>Python's <c>repr</c> of a float: shortest round-trip text, with <c>.0</c> on integral values.</summary>
    public static string PythonFloat(double value)
    {
        if (!double.IsFinite(value))
        {
            return double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
        }

        // Python writes exponents in lower case (1e-05); .NET in upper case.
        var text = value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
        return double.IsFinite(value) && !text.Contains('.', StringComparison.Ordinal) && !text.Contains('e', StringComparison.Ordinal) ? text + ".0" : text;
    }
}
