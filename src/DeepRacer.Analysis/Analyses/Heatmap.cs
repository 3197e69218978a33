using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Analyses;

/// <summary>How a <see cref="Heatmap"/> cell combines the steps that fall into it.</summary>
public enum HeatmapAggregate
{
    /// <summary>The value of the last step in table order (the reference's <c>plot_track</c>: later rows overwrite).</summary>
    Last,
    /// <summary>Mean of the values.</summary>
    Mean,
    /// <summary>Sum of the values.</summary>
    Sum,
    /// <summary>Largest value.</summary>
    Max,
    /// <summary>Number of steps (the column is ignored).</summary>
    Count,
}

/// <summary>
/// A column's values over the track as a grid (the reference's reward heat map <c>plot_track</c>, spec 7.5, generalised
/// to any numeric column, cell size and aggregate). Cell (row r, column c) covers x from
/// <c>OriginX + c·CellSize</c> and y from <c>OriginY + r·CellSize</c>; row 0 is the bottom (lowest y).
/// </summary>
/// <param name="Column">The step column shown.</param>
/// <param name="Aggregate">How cells combine steps.</param>
/// <param name="OriginX">x of the grid's lower-left corner: the outer border's smallest x minus the margin.</param>
/// <param name="OriginY">y of the lower-left corner.</param>
/// <param name="CellSize">Cell edge, metres (the reference: 0.01).</param>
/// <param name="Columns">Cells across (x).</param>
/// <param name="Rows">Cells up (y).</param>
/// <param name="Values">Row-major values, <c>Values[r·Columns + c]</c>; NaN where no step fell.</param>
/// <param name="Outside">Steps left out because they fell below or left of the grid (the reference wraps them around).</param>
public sealed record Heatmap(string Column, HeatmapAggregate Aggregate, double OriginX, double OriginY, double CellSize, int Columns, int Rows, double[] Values, int Outside)
{
    /// <summary>Most cells a heat map may have (4096², 200 MB of grid): the reference's 1 cm cells over the largest shipped track need 4.8 million.</summary>
    public const int MaxCells = 4096 * 4096;

    /// <summary>The value of a cell.</summary>
    public double this[int row, int column] => Values[(row * Columns) + column];

    /// <summary>
    /// Builds the grid. As the reference: the extent is the outer border's size plus the margin on each side, truncated to
    /// whole metres; a step goes to cell (trunc((y − minY + margin)/cell), trunc((x − minX + margin)/cell)), clamped to the last
    /// row and column.
    /// </summary>
    /// <param name="steps">The steps.</param>
    /// <param name="rows">Which rows (e.g. one iteration's); all when null.</param>
    /// <param name="track">The track, for the extent.</param>
    /// <param name="column">A numeric step column (<c>reward</c>, <c>speed</c>, <c>progress</c>, ...).</param>
    /// <param name="aggregate">How to combine steps in one cell.</param>
    /// <param name="cellSize">Cell edge, metres.</param>
    /// <param name="margin">Margin around the track, metres.</param>
    /// <exception cref="DeepRacerLogException">The column does not exist, or the grid would have more than <see cref="MaxCells"/> cells.</exception>
    public static Heatmap Analyze(StepTable steps, int[]? rows, Track track, string column = "reward", HeatmapAggregate aggregate = HeatmapAggregate.Last, double cellSize = 0.01, double margin = 1)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(track);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cellSize);
        var value = StepValues.Getter(steps, column);
        var grid = new HeatmapGrid(track, column, aggregate, cellSize, margin);
        var n = rows?.Length ?? steps.RowCount;
        for (var k = 0; k < n; k++)
        {
            var i = rows is null ? k : rows[k];
            var cell = grid.Cell(steps.X[i], steps.Y[i]);
            if (cell >= 0)
            {
                grid.Add(cell, aggregate == HeatmapAggregate.Count ? 1 : value(i));
            }
        }

        return grid.Build();
    }
}

/// <summary>
/// A <see cref="Heatmap"/> being filled one step at a time, in table order (<see cref="Heatmap.Analyze"/>, and a streamed report
/// that feeds the steps as the files are read).
/// </summary>
internal sealed class HeatmapGrid
{
    private readonly string _column;
    private readonly HeatmapAggregate _aggregate;
    private readonly double _cellSize;
    private readonly double _margin;
    private readonly double _scale;
    private readonly TrackPoint _min;
    private readonly int _width;
    private readonly int _height;
    private readonly double[] _values;
    private readonly int[] _counts;
    private int _outside;

    /// <exception cref="DeepRacerLogException">The grid would have more than <see cref="Heatmap.MaxCells"/> cells.</exception>
    public HeatmapGrid(Track track, string column, HeatmapAggregate aggregate, double cellSize, double margin)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cellSize);
        (_column, _aggregate, _cellSize, _margin) = (column, aggregate, cellSize, margin);
        _scale = 1 / cellSize;
        // Round before truncating so that e.g. 9 m / 0.01 m is 900 cells, not 899 or 901 from binary fractions.
        var widthCells = Math.Round(Math.Truncate(track.Size.X + (2 * margin)) * _scale);
        var heightCells = Math.Round(Math.Truncate(track.Size.Y + (2 * margin)) * _scale);
        // The grid is sized by the track and the caller's cell size: bound it before allocating (NaN fails the test too).
        if (!(widthCells >= 1 && heightCells >= 1 && widthCells * heightCells <= Heatmap.MaxCells))
        {
            throw new DeepRacerLogException(FormattableString.Invariant(
                $"A heat map of track {track.Name} with {cellSize} m cells and a {margin} m margin would need {widthCells} x {heightCells} cells, more than {Heatmap.MaxCells}; use a larger cell size."));
        }

        _width = (int)widthCells;
        _height = (int)heightCells;
        _min = track.Min;
        _values = new double[_width * _height];
        _counts = new int[_width * _height];
        Array.Fill(_values, double.NaN);
    }

    /// <summary>The cell of a position, or -1 (counted as outside) when it falls below or left of the grid.</summary>
    public int Cell(float x, float y)
    {
        var fx = Math.Truncate((x - _min.X + _margin) * _scale);
        var fy = Math.Truncate((y - _min.Y + _margin) * _scale);
        // A NaN position is outside too; positions beyond the grid clamp to its last row and column, as the reference's.
        if (!(fx >= 0 && fy >= 0))
        {
            _outside++;
            return -1;
        }

        var px = (int)Math.Min(fx, _width - 1);
        var py = (int)Math.Min(fy, _height - 1);
        return (py * _width) + px;
    }

    /// <summary>Adds one step's value to a cell from <see cref="Cell"/>.</summary>
    public void Add(int cell, double v)
    {
        var old = _values[cell];
        _values[cell] = _aggregate switch
        {
            HeatmapAggregate.Last => v,
            HeatmapAggregate.Max => double.IsNaN(old) ? v : Math.Max(old, v),
            _ => double.IsNaN(old) ? v : old + v,
        };
        _counts[cell]++;
    }

    public Heatmap Build()
    {
        var values = _values;
        if (_aggregate == HeatmapAggregate.Mean)
        {
            for (var c = 0; c < values.Length; c++)
            {
                if (_counts[c] > 0)
                {
                    values[c] /= _counts[c];
                }
            }
        }

        return new Heatmap(_column, _aggregate, _min.X - _margin, _min.Y - _margin, _cellSize, _width, _height, values, _outside);
    }
}

