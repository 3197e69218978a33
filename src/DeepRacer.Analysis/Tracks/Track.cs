namespace DeepRacer.Analysis.Tracks;

/// <summary>A point on the track plane, metres.</summary>
/// <param name="X">x, metres.</param>
/// <param name="Y">y, metres.</param>
public readonly record struct TrackPoint(double X, double Y)
{
    /// <summary>Euclidean distance to another point.</summary>
    public double DistanceTo(TrackPoint other) => Math.Sqrt(((X - other.X) * (X - other.X)) + ((Y - other.Y) * (Y - other.Y)));
}

/// <summary>The nearest point of a track's centre line to some point.</summary>
/// <param name="Point">The foot point on the centre line.</param>
/// <param name="Along">Its distance along the centre line from waypoint 0, metres.</param>
/// <param name="Segment">The segment holding it: from waypoint <c>Segment</c> to <c>Segment + 1</c>.</param>
public readonly record struct TrackProjection(TrackPoint Point, double Along, int Segment);

/// <summary>Which way the centre line runs around the track.</summary>
public enum TrackDirection
{
    /// <summary>Counter-clockwise (positive shoelace area).</summary>
    CounterClockwise,
    /// <summary>Clockwise (negative shoelace area).</summary>
    Clockwise,
    /// <summary>A straight open track that encloses no area.</summary>
    None,
}

/// <summary>
/// A track's waypoints (spec 8.2–8.4): centre line, inner and outer border, and the geometry derived from them.
/// </summary>
/// <remarks>
/// Inner and outer keep their geometric meaning whatever the driving direction (for a clockwise track the inner
/// border is on the right). Waypoint indices are those of the file, duplicates included, as logs up to simapp 6.0.1 use them.
/// </remarks>
public sealed class Track
{
    private readonly TrackPoint[] _center;
    private readonly TrackPoint[] _inner;
    private readonly TrackPoint[] _outer;
    private readonly double[] _width;
    private readonly double[] _distance;
    private PolylineIndex? _centerIndex;
    private PolylineIndex? _innerIndex;
    private PolylineIndex? _outerIndex;

    /// <summary>Creates a track from its three lines (same number of points each).</summary>
    /// <param name="name">The file name without <c>.npy</c> (what logs call the world name).</param>
    /// <param name="center">Centre line.</param>
    /// <param name="inner">Inner border.</param>
    /// <param name="outer">Outer border.</param>
    public Track(string name, TrackPoint[] center, TrackPoint[] inner, TrackPoint[] outer)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(center);
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(outer);
        if (center.Length < MinWaypoints || inner.Length != center.Length || outer.Length != center.Length)
        {
            throw new DeepRacerLogException($"Track {name} needs at least {MinWaypoints} waypoints with centre, inner and outer points each; give a complete waypoint array.");
        }

        Validate(name, center, inner, outer);

        Name = name;
        _center = center;
        _inner = inner;
        _outer = outer;
        _width = new double[center.Length];
        _distance = new double[center.Length];
        for (var i = 0; i < center.Length; i++)
        {
            _width[i] = inner[i].DistanceTo(outer[i]);
            _distance[i] = i == 0 ? 0 : _distance[i - 1] + center[i - 1].DistanceTo(center[i]);
        }

        double area = 0;
        for (var i = 0; i < center.Length; i++)
        {
            var (a, b) = (center[i], center[(i + 1) % center.Length]);
            area += (a.X * b.Y) - (b.X * a.Y);
        }

        Area = area / 2;
        Min = new(outer.Min(p => p.X), outer.Min(p => p.Y));
        Size = new(outer.Max(p => p.X) - Min.X, outer.Max(p => p.Y) - Min.Y);
        MeanWidth = _width.Average();
        MinWidth = _width.Min();
        MaxWidth = _width.Max();
        // A straight line has zero area up to rounding; anything below a square millimetre per metre of length is no loop.
        Direction = Math.Abs(Area) < 1e-6 * Length ? TrackDirection.None : Area > 0 ? TrackDirection.CounterClockwise : TrackDirection.Clockwise;
    }

    /// <summary>Fewest waypoints a track may have (the smallest shipped track has 22).</summary>
    public const int MinWaypoints = 3;

    /// <summary>Largest distance of a waypoint from the origin in x or y, metres.</summary>
    public const double MaxCoordinate = 10_000;

    /// <summary>Largest extent of a track in x or y, metres (the largest shipped track spans 24 m).</summary>
    public const double MaxExtent = 200;

    // Checked at load so that every analysis can size grids and tables from the geometry without overflowing.
    private static void Validate(string name, TrackPoint[] center, TrackPoint[] inner, TrackPoint[] outer)
    {
        for (var i = 0; i < center.Length; i++)
        {
            if (!Plausible(center[i]) || !Plausible(inner[i]) || !Plausible(outer[i]))
            {
                throw new DeepRacerLogException(
                    $"Track {name} has a coordinate that is not a finite number within {MaxCoordinate} m of the origin at waypoint {i}; give a track file with real waypoints in metres.");
            }
        }

        foreach (var (line, points) in new[] { ("centre line", center), ("inner border", inner), ("outer border", outer) })
        {
            var dx = points.Max(p => p.X) - points.Min(p => p.X);
            var dy = points.Max(p => p.Y) - points.Min(p => p.Y);
            if (dx > MaxExtent || dy > MaxExtent)
            {
                throw new DeepRacerLogException(FormattableString.Invariant(
                    $"Track {name}: its {line} spans {dx:0.#} x {dy:0.#} m, more than the {MaxExtent} m a track can be; give a track file in metres."));
            }
        }

        // Written so that NaN fails too.
        static bool Plausible(TrackPoint p) => Math.Abs(p.X) <= MaxCoordinate && Math.Abs(p.Y) <= MaxCoordinate;
    }

    /// <summary>Builds a track from an N×6 array <c>[centre_x, centre_y, inner_x, inner_y, outer_x, outer_y]</c> (extra columns are ignored),
    /// or an N×4 array of the two borders (the centre is their midpoint).</summary>
    /// <exception cref="DeepRacerLogException">The array has another shape, or its waypoints are not a plausible track.</exception>
    public static Track FromArray(string name, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Shape.Count != 2 || array.Columns is not (4 or >= 6) || array.Rows < 2)
        {
            throw new DeepRacerLogException(
                $"Track file {name} has shape ({string.Join(", ", array.Shape)}); a track needs N x 6 (centre, inner, outer border) or N x 4 (inner, outer) waypoints.");
        }

        var n = array.Rows;
        var center = new TrackPoint[n];
        var inner = new TrackPoint[n];
        var outer = new TrackPoint[n];
        var b = array.Columns == 4 ? 0 : 2;
        for (var i = 0; i < n; i++)
        {
            inner[i] = new(array[i, b], array[i, b + 1]);
            outer[i] = new(array[i, b + 2], array[i, b + 3]);
            center[i] = b == 0 ? new((inner[i].X + outer[i].X) / 2, (inner[i].Y + outer[i].Y) / 2) : new(array[i, 0], array[i, 1]);
        }

        return new Track(name, center, inner, outer);
    }

    /// <summary>The file name without <c>.npy</c>, e.g. <c>reinvent_base</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The official display name (<see cref="TrackNames"/>); for a direction variant made from a base file
    /// (<see cref="Reversed"/>) the base's name with <c>CW</c>/<c>CCW</c>, as the console names variants; else null.
    /// </summary>
    public string? DisplayName => TrackNames.OfficialName(Name) ?? (
        Name.EndsWith("_ccw", StringComparison.Ordinal) && TrackNames.OfficialName(Name[..^4]) is { } ccw ? ccw + " CCW"
        : Name.EndsWith("_cw", StringComparison.Ordinal) && TrackNames.OfficialName(Name[..^3]) is { } cw ? cw + " CW"
        : null);

    /// <summary>Number of waypoints (rows of the file, the repeated closing point included).</summary>
    public int WaypointCount => _center.Length;

    /// <summary>Centre line (columns 0–1).</summary>
    public ReadOnlySpan<TrackPoint> CenterLine => _center;

    /// <summary>Inner border (columns 2–3).</summary>
    public ReadOnlySpan<TrackPoint> InnerBorder => _inner;

    /// <summary>Outer border (columns 4–5).</summary>
    public ReadOnlySpan<TrackPoint> OuterBorder => _outer;

    /// <summary>Width at each waypoint: |outer − inner|, metres.</summary>
    public ReadOnlySpan<double> Width => _width;

    /// <summary>Distance along the centre line from waypoint 0 to each waypoint, metres.</summary>
    public ReadOnlySpan<double> CumulativeDistance => _distance;

    /// <summary>Centre-line length, metres; equals the logs' <c>track_len</c>.</summary>
    public double Length => _distance[^1];

    /// <summary>Mean of <see cref="Width"/>, metres.</summary>
    public double MeanWidth { get; }

    /// <summary>Smallest width, metres.</summary>
    public double MinWidth { get; }

    /// <summary>Largest width, metres.</summary>
    public double MaxWidth { get; }

    /// <summary>Signed shoelace area of the centre line, m² (positive = counter-clockwise).</summary>
    public double Area { get; }

    /// <summary>Driving direction of the centre line.</summary>
    public TrackDirection Direction { get; }

    /// <summary>True when the first waypoint equals the last (a closed loop).</summary>
    public bool IsClosed => _center[0] == _center[^1];

    /// <summary>Smallest x and y of the outer border (the reference's image offset).</summary>
    public TrackPoint Min { get; }

    /// <summary>Extent of the outer border: (max − min x, max − min y), metres (the reference's <c>size()</c>).</summary>
    public TrackPoint Size { get; }

    /// <summary>Height over width of <see cref="Size"/> (the reference's <c>ratio()</c>), for sizing a picture.</summary>
    public double Ratio => Size.Y / Size.X;

    /// <summary>The road polygon: the outer border followed by the inner border reversed (for filling and bounds).</summary>
    public TrackPoint[] RoadPolygon() => [.. _outer, .. _inner.Reverse()];

    /// <summary>The same track driven the other way: every line reversed, inner and outer kept.</summary>
    public Track Reversed(string name) => new(name, [.. _center.Reverse()], [.. _inner.Reverse()], [.. _outer.Reverse()]);

    /// <summary>Index of the centre-line waypoint nearest to a point.</summary>
    public int NearestWaypoint(TrackPoint p)
    {
        var best = 0;
        var bestD = double.MaxValue;
        for (var i = 0; i < _center.Length; i++)
        {
            var dx = _center[i].X - p.X;
            var dy = _center[i].Y - p.Y;
            var d = (dx * dx) + (dy * dy);
            if (d < bestD)
            {
                bestD = d;
                best = i;
            }
        }

        return best;
    }

    /// <summary>Distance from a point to the centre line (nearest segment), metres.</summary>
    public double DistanceFromCenter(TrackPoint p) => p.DistanceTo(ProjectOnCenterLine(p).Point);

    /// <summary>
    /// The nearest point of the centre line to <paramref name="p"/> over all segments (the first segment wins a tie,
    /// as GEOS decides) and its distance along the line from waypoint 0, metres (spec 9.3.3, <c>projection_distance</c>).
    /// </summary>
    public TrackProjection ProjectOnCenterLine(TrackPoint p)
    {
        var (point, segment, t) = Index(ref _centerIndex, _center).Nearest(p);
        var along = _distance[segment] + (t * (_distance[segment + 1] - _distance[segment]));
        return new TrackProjection(point, along, segment);
    }

    /// <summary>The nearest point of the inner border to <paramref name="p"/> (first segment wins a tie).</summary>
    public TrackPoint NearestOnInnerBorder(TrackPoint p) => Index(ref _innerIndex, _inner).Nearest(p).Point;

    /// <summary>The nearest point of the outer border to <paramref name="p"/> (first segment wins a tie).</summary>
    public TrackPoint NearestOnOuterBorder(TrackPoint p) => Index(ref _outerIndex, _outer).Nearest(p).Point;

    // Built on first use: most analyses never project a point.
    private static PolylineIndex Index(ref PolylineIndex? index, TrackPoint[] line) => LazyInitializer.EnsureInitialized(ref index, () => new PolylineIndex(line));


    /// <inheritdoc/>
    public override string ToString() => DisplayName is { } d ? $"{Name} ({d})" : Name;
}
