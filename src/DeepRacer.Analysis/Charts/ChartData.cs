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

    /// <summary>Vertical bars at the x positions (bar charts, histograms).</summary>
    Bars,
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

    /// <summary>One value per point: dots are coloured along a colour scale instead of <see cref="Color"/> (laps coloured by speed).</summary>
    public IReadOnlyList<double>? ColorValues { get; init; }

    /// <summary>Range of the colour scale; null for the values' own range.</summary>
    public (double Min, double Max)? ColorRange { get; init; }

    /// <summary>Bar width in x units (histograms: the bin width).</summary>
    public double? BarWidth { get; init; }
}

/// <summary>A grid of values over the plane (a heat map over the track); NaN cells are empty.</summary>
/// <param name="X0">x of the grid's left edge.</param>
/// <param name="Y0">y of the grid's bottom edge.</param>
/// <param name="CellSize">Cell edge, in axis units.</param>
/// <param name="Columns">Cells across.</param>
/// <param name="Rows">Cells up.</param>
/// <param name="Values">Row-major values, row 0 at the bottom.</param>
/// <param name="Label">What the values are.</param>
public sealed record HeatGrid(double X0, double Y0, double CellSize, int Columns, int Rows, double[] Values, string Label);

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

    /// <summary>Keep one unit of x as long as one unit of y (track maps in metres).</summary>
    public bool EqualAxes { get; init; }

    /// <summary>A heat map drawn under the series.</summary>
    public HeatGrid? Heat { get; init; }
}

/// <summary>How the panels of a chart are arranged.</summary>
public enum PanelLayout
{
    /// <summary>Side by side.</summary>
    Columns,
    /// <summary>Stacked.</summary>
    Rows,

    /// <summary>A near-square grid, filled row by row.</summary>
    Grid,
}

/// <summary>
/// A chart as data, independent of any renderer: computed once from the metrics, drawn by <c>ChartRenderer</c> (DeepRacer.Analysis.Charts)
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
