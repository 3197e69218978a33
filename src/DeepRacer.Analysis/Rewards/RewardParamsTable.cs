using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Rewards;

/// <summary>
/// The reward function's <c>params</c> for every replayed step of a <see cref="StepTable"/>, one array per key, computed
/// from the logged columns and the track as the simulator computes them (spec 9.3.3).
/// </summary>
/// <remarks>
/// Replayed steps are all rows except <c>prepare</c> and <c>pause</c>: the simulator never calls the reward function there.
/// Exact (taken from the row): <c>x, y, heading, speed, steering_angle, progress, steps, all_wheels_on_track</c>
/// (positions and angles as the table stores them, float32). Computed with the simulator's formulas at the logged model point:
/// <c>distance_from_center, track_width, is_left_of_center, closest_waypoints, projection_distance, track_length,
/// waypoints</c>. From the status: <c>is_offtrack</c> (the simulator can also pass true on a rare <c>lap_complete</c>
/// row with all wheels out) and <c>is_crashed</c>. From the configuration: <c>is_reversed</c>. Object keys are not in
/// the logs and keep the defaults of a track without objects.
/// </remarks>
public sealed class RewardParamsTable
{
    internal const byte OnTrackFlag = 1;
    internal const byte LeftFlag = 2;
    internal const byte OfftrackFlag = 4;
    internal const byte CrashedFlag = 8;

    private readonly TrackPoint[] _waypoints;

    private RewardParamsTable(StepTable steps, Track track, bool isReversed, int[] rows)
    {
        Steps = steps;
        Track = track;
        IsReversed = isReversed;
        SourceRows = rows;
        _waypoints = track.CenterLine.ToArray();
        var n = rows.Length;
        X = new double[n];
        Y = new double[n];
        Heading = new double[n];
        Speed = new double[n];
        SteeringAngle = new double[n];
        Progress = new double[n];
        StepNumber = new double[n];
        DistanceFromCenter = new double[n];
        TrackWidth = new double[n];
        ProjectionDistance = new double[n];
        Previous = new int[n];
        Next = new int[n];
        Flags = new byte[n];
    }

    /// <summary>The steps the params come from.</summary>
    public StepTable Steps { get; }

    /// <summary>The track in driving order (reversed when the run was).</summary>
    public Track Track { get; }

    /// <summary>The <c>is_reversed</c> flag of every step.</summary>
    public bool IsReversed { get; }

    /// <summary>Number of replayed steps.</summary>
    public int Count => SourceRows.Length;

    /// <summary>For each replayed step, its row in <see cref="Steps"/>.</summary>
    public int[] SourceRows { get; }

    internal double[] X { get; }

    internal double[] Y { get; }

    internal double[] Heading { get; }

    internal double[] Speed { get; }

    internal double[] SteeringAngle { get; }

    internal double[] Progress { get; }

    internal double[] StepNumber { get; }

    internal double[] DistanceFromCenter { get; }

    internal double[] TrackWidth { get; }

    internal double[] ProjectionDistance { get; }

    internal int[] Previous { get; }

    internal int[] Next { get; }

    internal byte[] Flags { get; }

    /// <summary>True when the simulator calls the reward function on a step of this status.</summary>
    public static bool IsRewardCall(EpisodeStatus status) => status is not (EpisodeStatus.Prepare or EpisodeStatus.Pause);

    /// <summary>
    /// Computes the params of every replayed step.
    /// </summary>
    /// <param name="steps">The steps, as loaded.</param>
    /// <param name="track">The track file the run used, in its file order.</param>
    /// <param name="isReversed">The run drove it in reverse (DRfC <c>REVERSE_DIR</c>): the lines are reversed and <c>is_reversed</c> is true.</param>
    public static RewardParamsTable Build(StepTable steps, Track track, bool isReversed = false)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(track);
        var status = steps.Status;
        var rows = new List<int>(steps.RowCount);
        for (var i = 0; i < steps.RowCount; i++)
        {
            if (IsRewardCall(status[i]))
            {
                rows.Add(i);
            }
        }

        var driving = isReversed ? track.Reversed(track.Name) : track;
        var table = new RewardParamsTable(steps, driving, isReversed, [.. rows]);
        // Chunks of rows in parallel: each row is independent, and the projections are the only real cost.
        var chunk = 16_384;
        Parallel.For(0, (table.Count + chunk - 1) / chunk, c => table.Fill(c * chunk, Math.Min(table.Count, (c + 1) * chunk)));
        return table;
    }

    /// <summary>The params of one replayed step.</summary>
    public RewardParams this[int index] => new()
    {
        X = X[index],
        Y = Y[index],
        Heading = Heading[index],
        Speed = Speed[index],
        SteeringAngle = SteeringAngle[index],
        Progress = Progress[index],
        Steps = StepNumber[index],
        TrackLength = Track.Length,
        TrackWidth = TrackWidth[index],
        Waypoints = _waypoints,
        ClosestWaypoints = (Previous[index], Next[index]),
        DistanceFromCenter = DistanceFromCenter[index],
        IsLeftOfCenter = (Flags[index] & LeftFlag) != 0,
        AllWheelsOnTrack = (Flags[index] & OnTrackFlag) != 0,
        IsOfftrack = (Flags[index] & OfftrackFlag) != 0,
        IsCrashed = (Flags[index] & CrashedFlag) != 0,
        IsReversed = IsReversed,
        ProjectionDistance = ProjectionDistance[index],
    };

    /// <summary>
    /// The replayed steps as a table of the scalar keys, <c>closest_waypoints</c> as two columns
    /// (<c>closest_waypoints_0</c>, <c>closest_waypoints_1</c>).
    /// </summary>
    public IReadOnlyList<Column> ToColumns() =>
    [
        new Column<double>("x", X), new Column<double>("y", Y), new Column<double>("heading", Heading),
        new Column<double>("speed", Speed), new Column<double>("steering_angle", SteeringAngle), new Column<double>("progress", Progress),
        new Column<double>("track_length", Enumerable.Repeat(Track.Length, Count).ToArray()), new Column<double>("track_width", TrackWidth),
        new Column<int>("closest_waypoints_0", Previous), new Column<int>("closest_waypoints_1", Next),
        new Column<double>("distance_from_center", DistanceFromCenter),
        new Column<bool>("is_left_of_center", [.. Flags.Select(f => (f & LeftFlag) != 0)]),
        new Column<bool>("all_wheels_on_track", [.. Flags.Select(f => (f & OnTrackFlag) != 0)]),
        new Column<bool>("is_offtrack", [.. Flags.Select(f => (f & OfftrackFlag) != 0)]),
        new Column<bool>("is_crashed", [.. Flags.Select(f => (f & CrashedFlag) != 0)]),
        new Column<bool>("is_reversed", Enumerable.Repeat(IsReversed, Count).ToArray()),
        new Column<double>("projection_distance", ProjectionDistance),
    ];

    private void Fill(int start, int end)
    {
        var track = Track;
        var length = track.Length;
        var cumulative = track.CumulativeDistance;
        var n = track.WaypointCount;
        // The simulator's waypoint fractions (spec 9.3.3): d_k = s(c_k) / L, the closing point counts as 1.0.
        Span<double> fraction = n <= 4096 ? stackalloc double[n] : new double[n];
        for (var k = 0; k < n - 1; k++)
        {
            fraction[k] = cumulative[k] / length;
        }

        fraction[n - 1] = 1.0;
        // An open track counts as counter-clockwise when driven forward (spec 9.3.3).
        var counterClockwise = track.IsClosed ? track.Direction == TrackDirection.CounterClockwise : !IsReversed;
        var steps = Steps;
        var xs = steps.X;
        var ys = steps.Y;
        var status = steps.Status;
        var onTrack = steps.OnTrack;
        for (var i = start; i < end; i++)
        {
            var row = SourceRows[i];
            var p = new TrackPoint(xs[row], ys[row]);
            var foot = track.ProjectOnCenterLine(p);
            var inner = track.NearestOnInnerBorder(foot.Point);
            var outer = track.NearestOnOuterBorder(foot.Point);
            X[i] = p.X;
            Y[i] = p.Y;
            Heading[i] = steps.Yaw[row];
            Speed[i] = steps.Speed[row];
            SteeringAngle[i] = steps.SteeringAngle[row];
            Progress[i] = steps.Progress[row];
            StepNumber[i] = steps.Steps[row];
            DistanceFromCenter[i] = p.DistanceTo(foot.Point);
            TrackWidth[i] = inner.DistanceTo(outer);
            ProjectionDistance[i] = foot.Along;

            // next = the number of waypoint fractions at or before the car's; prev = next - 1, both wrapped.
            var nu = foot.Along / length;
            var next = UpperBound(fraction, nu);
            var previous = next - 1;
            Previous[i] = previous < 0 ? n - 1 : previous;
            Next[i] = next >= n ? 0 : next;

            var left = (p.DistanceTo(inner) < p.DistanceTo(outer)) ^ !counterClockwise;
            Flags[i] = (byte)((onTrack[row] ? OnTrackFlag : 0) | (left ? LeftFlag : 0)
                | (status[row] == EpisodeStatus.OffTrack ? OfftrackFlag : 0) | (status[row] == EpisodeStatus.Crashed ? CrashedFlag : 0));
        }
    }

    /// <summary>The number of values in a sorted span that are ≤ <paramref name="value"/>.</summary>
    private static int UpperBound(ReadOnlySpan<double> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
