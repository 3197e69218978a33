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
        var scale = 1 / cellSize;
        // Round before truncating so that e.g. 9 m / 0.01 m is 900 cells, not 899 or 901 from binary fractions.
        var widthCells = Math.Round(Math.Truncate(track.Size.X + (2 * margin)) * scale);
        var heightCells = Math.Round(Math.Truncate(track.Size.Y + (2 * margin)) * scale);
        // The grid is sized by the track and the caller's cell size: bound it before allocating (NaN fails the test too).
        if (!(widthCells >= 1 && heightCells >= 1 && widthCells * heightCells <= MaxCells))
        {
            throw new DeepRacerLogException(FormattableString.Invariant(
                $"A heat map of track {track.Name} with {cellSize} m cells and a {margin} m margin would need {widthCells} x {heightCells} cells, more than {MaxCells}; use a larger cell size."));
        }

        var width = (int)widthCells;
        var height = (int)heightCells;
        var min = track.Min;
        var values = new double[width * height];
        var counts = new int[width * height];
        Array.Fill(values, double.NaN);
        var outside = 0;
        var n = rows?.Length ?? steps.RowCount;
        for (var k = 0; k < n; k++)
        {
            var i = rows is null ? k : rows[k];
            var fx = Math.Truncate((steps.X[i] - min.X + margin) * scale);
            var fy = Math.Truncate((steps.Y[i] - min.Y + margin) * scale);
            // A NaN position is outside too; positions beyond the grid clamp to its last row and column, as the reference's.
            if (!(fx >= 0 && fy >= 0))
            {
                outside++;
                continue;
            }

            var px = (int)Math.Min(fx, width - 1);
            var py = (int)Math.Min(fy, height - 1);
            var cell = (py * width) + px;
            var v = aggregate == HeatmapAggregate.Count ? 1 : value(i);
            var old = values[cell];
            values[cell] = aggregate switch
            {
                HeatmapAggregate.Last => v,
                HeatmapAggregate.Max => double.IsNaN(old) ? v : Math.Max(old, v),
                _ => double.IsNaN(old) ? v : old + v,
            };
            counts[cell]++;
        }

        if (aggregate == HeatmapAggregate.Mean)
        {
            for (var c = 0; c < values.Length; c++)
            {
                if (counts[c] > 0)
                {
                    values[c] /= counts[c];
                }
            }
        }

        return new Heatmap(column, aggregate, min.X - margin, min.Y - margin, cellSize, width, height, values, outside);
    }
}
