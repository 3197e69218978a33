namespace DeepRacer.Analysis.Charts;

/// <summary>How a series is drawn.</summary>
public enum SeriesStyle
{
    /// <summary>Small dots, no line (raw per-iteration or per-episode values).</summary>
    Dots,
    /// <summary>A line without markers (rolling averages).</summary>
    Line,
    /// <summary>A line with a marker at every point.</summary>
    LineWithMarkers,
}

/// <summary>One series of a chart panel; points are finite (missing values are left out when the data is prepared).</summary>
/// <param name="Label">Legend text.</param>
/// <param name="Color">Colour as <c>#rrggbb</c>.</param>
/// <param name="X">X values.</param>
/// <param name="Y">Y values, same length as <paramref name="X"/>.</param>
/// <param name="Style">How it is drawn.</param>
/// <param name="RightAxis">True to plot against the right-hand y axis.</param>
public sealed record ChartSeries(string Label, string Color, IReadOnlyList<double> X, IReadOnlyList<double> Y, SeriesStyle Style, bool RightAxis = false)
{
    /// <summary>Marker diameter in pixels (dots and line markers).</summary>
    public float MarkerSize { get; init; } = 4;

    /// <summary>Opacity, 0–1.</summary>
    public double Opacity { get; init; } = 1;
}

/// <summary>One plot area of a chart.</summary>
/// <param name="Title">Panel title.</param>
/// <param name="XLabel">X axis label.</param>
/// <param name="YLabel">Left y axis label.</param>
/// <param name="Series">The series.</param>
public sealed record ChartPanel(string Title, string XLabel, string YLabel, IReadOnlyList<ChartSeries> Series)
{
    /// <summary>Right y axis label, when a series uses it.</summary>
    public string? RightYLabel { get; init; }

    /// <summary>X positions of thin dashed vertical lines (e.g. where a new round starts).</summary>
    public IReadOnlyList<double> VerticalLines { get; init; } = [];

    /// <summary>Explicit x tick positions and labels (e.g. <c>r-i</c> labels), or null for automatic ticks.</summary>
    public IReadOnlyList<(double Position, string Label)>? XTicks { get; init; }

    /// <summary>Fixed y range of the left axis, or null to fit the data.</summary>
    public (double Min, double Max)? YRange { get; init; }

    /// <summary>Fixed y range of the right axis, or null to fit the data.</summary>
    public (double Min, double Max)? RightYRange { get; init; }
}

/// <summary>How the panels of a chart are arranged.</summary>
public enum PanelLayout
{
    /// <summary>Side by side.</summary>
    Columns,
    /// <summary>Stacked.</summary>
    Rows,
}

/// <summary>
/// A chart as data, independent of any renderer: computed once from the metrics, drawn by <see cref="ChartRenderer"/>
/// (PNG/SVG) or by any other front end (an HTML report).
/// </summary>
/// <param name="Name">File stem, e.g. <c>progress</c>.</param>
/// <param name="Panels">One or more panels.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public sealed record ChartData(string Name, IReadOnlyList<ChartPanel> Panels, int Width, int Height)
{
    /// <summary>Panel arrangement.</summary>
    public PanelLayout Layout { get; init; } = PanelLayout.Columns;

    /// <summary>True when no panel has any point.</summary>
    public bool IsEmpty => Panels.All(p => p.Series.All(s => s.X.Count == 0));
}
