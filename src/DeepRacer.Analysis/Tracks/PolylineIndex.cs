namespace DeepRacer.Analysis.Tracks;

/// <summary>
/// Nearest point of a polyline, exactly as a scan over all segments finds it (first segment wins a tie), but looking
/// only at the few segments that can be nearest within a grid cell.
/// </summary>
/// <remarks>
/// For a cell with centre c and half-diagonal h, let m be the smallest distance from c to any segment. Any point q in
/// the cell has a segment within m + h, and a segment farther than m + 2h from c is farther than m + h from q; so the
/// segments within m + 2h of c (in index order) always hold the scan's answer. Points outside the grid are scanned.
/// </remarks>
internal sealed class PolylineIndex
{
    // Cars leave the road by up to about a metre before an episode ends; farther points are scanned, still exactly.
    private const double Margin = 2.0;
    private const int MaxCellsPerSide = 128;

    private readonly TrackPoint[] _line;
    private readonly double _minX;
    private readonly double _minY;
    private readonly double _cell;
    private readonly int _columns;
    private readonly int _rows;
    private readonly int[] _start;
    private readonly int[] _segments;

    public PolylineIndex(TrackPoint[] line)
    {
        _line = line;
        double minX = line.Min(p => p.X) - Margin, minY = line.Min(p => p.Y) - Margin;
        double maxX = line.Max(p => p.X) + Margin, maxY = line.Max(p => p.Y) + Margin;
        _cell = Math.Max(maxX - minX, maxY - minY) / MaxCellsPerSide;
        _minX = minX;
        _minY = minY;
        _columns = Math.Max(1, (int)Math.Ceiling((maxX - minX) / _cell));
        _rows = Math.Max(1, (int)Math.Ceiling((maxY - minY) / _cell));
        _start = new int[(_columns * _rows) + 1];
        var segments = new List<int>();
        var distance = new double[line.Length - 1];
        var half = _cell * Math.Sqrt(2) / 2;
        for (var r = 0; r < _rows; r++)
        {
            for (var c = 0; c < _columns; c++)
            {
                var center = new TrackPoint(minX + ((c + 0.5) * _cell), minY + ((r + 0.5) * _cell));
                var nearest = double.MaxValue;
                for (var s = 0; s < distance.Length; s++)
                {
                    distance[s] = Math.Sqrt(SegmentFoot(line[s], line[s + 1], center, out _, out _, out _));
                    nearest = Math.Min(nearest, distance[s]);
                }

                // A millimetre of slack keeps rounding from ever dropping a segment the scan would pick.
                var limit = nearest + (2 * half) + 1e-3;
                _start[(r * _columns) + c] = segments.Count;
                for (var s = 0; s < distance.Length; s++)
                {
                    if (distance[s] <= limit)
                    {
                        segments.Add(s);
                    }
                }
            }
        }

        _start[^1] = segments.Count;
        _segments = [.. segments];
    }

    /// <summary>The nearest point of the polyline to <paramref name="p"/>, its segment and the position on it (0–1).</summary>
    public (TrackPoint Point, int Segment, double T) Nearest(TrackPoint p)
    {
        var c = (int)Math.Floor((p.X - _minX) / _cell);
        var r = (int)Math.Floor((p.Y - _minY) / _cell);
        ReadOnlySpan<int> candidates = c >= 0 && c < _columns && r >= 0 && r < _rows
            ? _segments.AsSpan(_start[(r * _columns) + c], _start[(r * _columns) + c + 1] - _start[(r * _columns) + c])
            : default;
        var scanAll = candidates.IsEmpty;
        var count = scanAll ? _line.Length - 1 : candidates.Length;
        var best = double.MaxValue;
        int bestSegment = 0;
        double bestT = 0, bestX = _line[0].X, bestY = _line[0].Y;
        for (var k = 0; k < count; k++)
        {
            var s = scanAll ? k : candidates[k];
            var d = SegmentFoot(_line[s], _line[s + 1], p, out var t, out var fx, out var fy);
            if (d < best)
            {
                best = d;
                bestSegment = s;
                bestT = t;
                bestX = fx;
                bestY = fy;
            }
        }

        return (new TrackPoint(bestX, bestY), bestSegment, bestT);
    }

    /// <summary>Squared distance from p to segment a–b, with the foot point and its position t on the segment.</summary>
    private static double SegmentFoot(TrackPoint a, TrackPoint b, TrackPoint p, out double t, out double fx, out double fy)
    {
        double vx = b.X - a.X, vy = b.Y - a.Y, wx = p.X - a.X, wy = p.Y - a.Y;
        var len2 = (vx * vx) + (vy * vy);
        t = len2 == 0 ? 0 : Math.Clamp(((wx * vx) + (wy * vy)) / len2, 0, 1);
        fx = a.X + (t * vx);
        fy = a.Y + (t * vy);
        double dx = p.X - fx, dy = p.Y - fy;
        return (dx * dx) + (dy * dy);
    }
}
