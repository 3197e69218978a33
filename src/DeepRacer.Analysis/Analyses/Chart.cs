namespace DeepRacer.Analysis.Analyses;

/// <summary>How a <see cref="Chart"/> is meant to be drawn.</summary>
public enum ChartKind
{
    /// <summary>Points (x, y).</summary>
    Scatter,
    /// <summary>Points joined in x order.</summary>
    Line,
    /// <summary>One bar per x.</summary>
    Bar,
    /// <summary>Counts per bin: x = bin centres, y = counts, <see cref="Chart.BinEdges"/> = the bins.</summary>
    Histogram,
}

/// <summary>One named series of points of a chart.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="X">x values.</param>
/// <param name="Y">y values, one per x.</param>
public sealed record Series(string Name, double[] X, double[] Y);

/// <summary>
/// The data of one chart panel, ready to draw without further computation (the analyses return data, never pictures).
/// </summary>
/// <param name="Title">Panel title (the reference's title where it has one).</param>
/// <param name="XLabel">x-axis label (usually a column name).</param>
/// <param name="YLabel">y-axis label.</param>
/// <param name="Kind">Scatter, line, bar or histogram.</param>
/// <param name="Series">The series to draw.</param>
public sealed record Chart(string Title, string XLabel, string YLabel, ChartKind Kind, IReadOnlyList<Series> Series)
{
    /// <summary>Histogram bin edges (one more than bins); null for other kinds.</summary>
    public double[]? BinEdges { get; init; }

    /// <summary>A one-series scatter chart.</summary>
    public static Chart Scatter(string title, string xLabel, string yLabel, double[] x, double[] y) =>
        new(title, xLabel, yLabel, ChartKind.Scatter, [new Series(yLabel, x, y)]);

    /// <summary>
    /// A histogram of the finite values with <paramref name="bins"/> equal bins between their minimum and maximum,
    /// counted as numpy/matplotlib count them (the last bin includes its right edge; equal values get a ±0.5 range).
    /// </summary>
    public static Chart Histogram(string title, string xLabel, IEnumerable<double> values, int bins = 20, (double Min, double Max)? range = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var data = values.Where(double.IsFinite).ToArray();
        var (counts, edges) = Statistics.Histogram(data, bins, range);
        var centres = new double[bins];
        for (var i = 0; i < bins; i++)
        {
            centres[i] = (edges[i] + edges[i + 1]) / 2;
        }

        return new Chart(title, xLabel, "count", ChartKind.Histogram, [new Series("count", centres, [.. counts.Select(c => (double)c)])]) { BinEdges = edges };
    }
}
