using DeepRacer.Analysis.Rewards;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Tests.Rewards;

/// <summary>
/// Params of hand-made positions on shipped tracks. Expected values come from an independent python3 brute-force
/// implementation of spec 9.3.3 (numpy-free .npy reader, positions rounded to float32 as the table stores them).
/// </summary>
public class RewardParamsTests
{
    internal static async Task<StepTable> LoadFixtureAsync(string name)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "0-iteration.csv");
        File.Copy(TestSupport.Fixture(Path.Combine("rewards", name)), path);
        using var log = await DeepRacerLog.OpenAsync(path);
        return await log.LoadAsync(StepTableKind.Training, TraceKind.Simtrace);
    }

    private static async Task<RewardParamsTable> ReinventAsync(bool reversed = false) =>
        RewardParamsTable.Build(await LoadFixtureAsync("reinvent-steps.csv"), TrackCatalog.Find("reinvent_base")!, reversed);

    [Fact]
    public async Task PrepareRows_AreNotReplayed()
    {
        var table = await ReinventAsync();
        Assert.Equal(5, table.Count);
        Assert.Equal([1, 2, 3, 4, 5], table.SourceRows);
    }

    [Fact]
    public async Task LeftAndRightOfCenter_DistanceWidthAndWaypoints()
    {
        var table = await ReinventAsync();
        var left = table[0];
        var right = table[1];

        Assert.True(left.IsLeftOfCenter);
        Assert.False(right.IsLeftOfCenter);
        // in_progress rows: neither off track nor crashed.
        Assert.False(left.IsOfftrack || left.IsCrashed || right.IsOfftrack || right.IsCrashed);
        Assert.Equal(0.2001913321352364, left.DistanceFromCenter, 1e-12);
        Assert.Equal(0.19980864680587013, right.DistanceFromCenter, 1e-12);
        Assert.Equal(0.7619995389535866, left.TrackWidth, 1e-12);
        Assert.Equal((10, 11), left.ClosestWaypoints);
        Assert.Equal(1.5723410612594537, left.ProjectionDistance, 1e-12);
        Assert.Equal(17.709159380834848, left.TrackLength, 1e-12);
        Assert.Equal(119, left.Waypoints.Count);
    }

    [Fact]
    public async Task ValuesFromTheRow_AreTheLoggedOnes()
    {
        var p = (await ReinventAsync())[0];

        Assert.Equal((double)4.632f, p.X);
        Assert.Equal((double)0.884f, p.Y);
        Assert.Equal(0.5, p.Heading);
        Assert.Equal(15.0, p.SteeringAngle);
        Assert.Equal(2.0, p.Speed);
        Assert.Equal(9.0, p.Progress);
        Assert.Equal(2.0, p.Steps);
        Assert.True(p.AllWheelsOnTrack);
        Assert.False((await ReinventAsync())[1].AllWheelsOnTrack);
    }

    [Fact]
    public async Task ClosestWaypoints_AtTheWrapAroundAndAcrossTheStartLine()
    {
        var table = await ReinventAsync();
        var beforeLine = table[2];
        var afterLine = table[3];

        // Just before the finish the pair is the last segment, up to the closing duplicate point (spec 9.3.3).
        Assert.Equal((117, 118), beforeLine.ClosestWaypoints);
        Assert.Equal(17.649184678163056, beforeLine.ProjectionDistance, 1e-12);
        Assert.Equal(99.9, beforeLine.Progress);
        Assert.Equal((0, 1), afterLine.ClosestWaypoints);
        Assert.Equal(0.04000180803783333, afterLine.ProjectionDistance, 1e-12);
        Assert.Equal(0.4, afterLine.Progress);
        Assert.Equal(0.08278375795462282, afterLine.DistanceFromCenter, 1e-12);
    }

    [Fact]
    public async Task HeadingAtPlusMinus180_IsPassedAsLogged()
    {
        var table = await ReinventAsync();
        Assert.Equal(180.0, table[2].Heading);
        Assert.Equal((double)-179.9f, table[3].Heading);
    }

    [Fact]
    public async Task WidthInACurve_IsBetweenTheNearestBorderPoints_NotTheWaypointWidth()
    {
        var p = (await ReinventAsync())[4];
        Assert.Equal(0.7543630323136586, p.TrackWidth, 1e-12);
        Assert.Equal(0.11301160764545316, p.DistanceFromCenter, 1e-12);
        Assert.Equal((23, 24), p.ClosestWaypoints);
        Assert.True(p.IsOfftrack);
        Assert.False(p.IsCrashed);
    }

    [Fact]
    public async Task UnevenBorders_WidthFollowsThePosition()
    {
        // Mexico_track's borders are skewed at waypoint 78: |o - i| is 0.891 m there, the simulator measures 0.668 m.
        var steps = await LoadFixtureAsync("mexico-steps.csv");
        var mexico = TrackCatalog.Find("Mexico_track")!;
        var p = RewardParamsTable.Build(steps, mexico)[0];

        Assert.Equal(0.891, mexico.Width[78], 1e-3);
        Assert.Equal(0.6680828754355487, p.TrackWidth, 1e-12);
        Assert.Equal((78, 79), p.ClosestWaypoints);
        Assert.Equal(8.944804846743459, p.ProjectionDistance, 1e-12);
        Assert.True(p.IsLeftOfCenter);
        Assert.True(p.IsCrashed);
    }

    [Fact]
    public async Task ReversedTrack_MirrorsSideWaypointsAndDistance()
    {
        var table = await ReinventAsync(reversed: true);
        var left = table[0];
        var nearFinish = table[2];

        Assert.True(left.IsReversed);
        Assert.False(left.IsLeftOfCenter);
        Assert.True(table[1].IsLeftOfCenter);
        Assert.Equal((107, 108), left.ClosestWaypoints);
        Assert.Equal(16.13681831957539, left.ProjectionDistance, 1e-12);
        Assert.Equal(0.2001913321352364, left.DistanceFromCenter, 1e-12);
        // The forward run's last segment is the reversed run's first.
        Assert.Equal((0, 1), nearFinish.ClosestWaypoints);
        Assert.Equal(0.059974702671792564, nearFinish.ProjectionDistance, 1e-12);
    }

    [Fact]
    public async Task OpenTrack_IsCounterClockwiseForward_AndWrapsPastItsEnd()
    {
        // Straight_track is open (first and last centre points differ): driving +x, left is +y, the inner border's side.
        var table = RewardParamsTable.Build(await LoadFixtureAsync("straight-steps.csv"), TrackCatalog.Find("Straight_track")!);
        var (left, beforeStart, pastEnd) = (table[0], table[1], table[2]);

        Assert.True(left.IsLeftOfCenter);
        Assert.Equal((8, 9), left.ClosestWaypoints);
        Assert.Equal(2.2910328250475396, left.ProjectionDistance, 1e-9);
        Assert.Equal(0.09904107677600192, left.DistanceFromCenter, 1e-9);
        Assert.False(beforeStart.IsLeftOfCenter);
        Assert.Equal((0, 1), beforeStart.ClosestWaypoints);
        Assert.Equal(0.0, beforeStart.ProjectionDistance);
        Assert.Equal(0.28991655108199577, beforeStart.DistanceFromCenter, 1e-9);
        // Past the last point the foot is that point, ν = 1: next = n wraps to 0 (spec 9.3.3).
        Assert.True(pastEnd.IsLeftOfCenter);
        Assert.Equal((21, 0), pastEnd.ClosestWaypoints);
        Assert.Equal(5.707379853510635, pastEnd.ProjectionDistance, 1e-9);
        Assert.Equal(0.609599992632874, pastEnd.TrackWidth, 1e-9);
        Assert.True(pastEnd.IsOfftrack);
    }

    [Fact]
    public async Task OpenTrackReversed_IsClockwise_AndStartsAtTheOldEnd()
    {
        var table = RewardParamsTable.Build(await LoadFixtureAsync("straight-steps.csv"), TrackCatalog.Find("Straight_track")!, isReversed: true);
        var (right, pastEnd, beforeStart) = (table[0], table[1], table[2]);

        // Driving -x, +y is right.
        Assert.False(right.IsLeftOfCenter);
        Assert.Equal((12, 13), right.ClosestWaypoints);
        Assert.Equal(3.4163470284630955, right.ProjectionDistance, 1e-9);
        Assert.True(pastEnd.IsLeftOfCenter);
        Assert.Equal((21, 0), pastEnd.ClosestWaypoints);
        Assert.Equal((0, 1), beforeStart.ClosestWaypoints);
        Assert.Equal(0.0, beforeStart.ProjectionDistance);
    }

    [Fact]
    public async Task ClockwiseTrackDrivenForward_InnerBorderSideIsRight()
    {
        // 0.3 m from waypoint 10 towards the inner border of a clockwise loop: right of the driving direction (cross product < 0).
        var table = RewardParamsTable.Build(await LoadFixtureAsync("summit-cw-steps.csv"), TrackCatalog.Find("2022_summit_speedway_cw")!);

        Assert.False(table[0].IsLeftOfCenter);
        Assert.Equal((10, 11), table[0].ClosestWaypoints);
        Assert.Equal(0.3001061024990754, table[0].DistanceFromCenter, 1e-9);
        Assert.Equal(1.066553768412985, table[0].TrackWidth, 1e-9);
    }

    [Fact]
    public async Task Build_WithoutStepsOrTrack_ThrowsArgumentNull()
    {
        var steps = await LoadFixtureAsync("straight-steps.csv");

        Assert.Equal("steps", Assert.Throws<ArgumentNullException>(() => RewardParamsTable.Build(null!, TrackCatalog.Find("Straight_track")!)).ParamName);
        Assert.Equal("track", Assert.Throws<ArgumentNullException>(() => RewardParamsTable.Build(steps, null!)).ParamName);
    }

    [Fact]
    public void ToString_PrintsTheScalarKeysAsPythonDoes()
    {
        var p = new RewardParams
        {
            X = 1.5, Y = -2, Heading = 1e16, Speed = 0.1 + 0.2, SteeringAngle = -30, Progress = 100, Steps = 2, TrackLength = 17.709159380834848,
            TrackWidth = 0.76, ClosestWaypoints = (117, 118), DistanceFromCenter = 1e-5, IsLeftOfCenter = true, AllWheelsOnTrack = false,
            IsOfftrack = true, IsCrashed = false, IsReversed = true, ProjectionDistance = 0,
        };

        // python3 -c "print({'x': 1.5, 'y': -2.0, 'heading': 1e16, 'speed': 0.1 + 0.2, ...})"
        Assert.Equal(
            "{'x': 1.5, 'y': -2.0, 'heading': 1e+16, 'speed': 0.30000000000000004, 'steering_angle': -30.0, 'progress': 100.0, 'steps': 2.0, " +
            "'track_length': 17.709159380834848, 'track_width': 0.76, 'closest_waypoints': [117, 118], 'distance_from_center': 1e-05, " +
            "'is_left_of_center': True, 'all_wheels_on_track': False, 'is_offtrack': True, 'is_crashed': False, 'is_reversed': True, 'projection_distance': 0.0}",
            p.ToString());
    }

    [Theory]
    [InlineData(1e16, "1e+16")]
    [InlineData(-9999999999999998.0, "-9999999999999998.0")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(1.23e-5, "1.23e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(123456.789, "123456.789")]
    [InlineData(1e22, "1e+22")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "nan")]
    public void ToString_NumbersAsPythonsRepr(double value, string repr)
    {
        // python3 -c "print(repr(VALUE))"
        Assert.StartsWith($"{{'x': {repr}, 'y': 0.0, ", new RewardParams { X = value }.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_TheFlagsTheOtherWayRound()
    {
        var p = new RewardParams { IsLeftOfCenter = false, AllWheelsOnTrack = true, IsOfftrack = false, IsCrashed = true, IsReversed = false, X = -9999999999999998 };

        Assert.StartsWith("{'x': -9999999999999998.0, 'y': 0.0,", p.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("'is_left_of_center': False, 'all_wheels_on_track': True, 'is_offtrack': False, 'is_crashed': True, 'is_reversed': False, 'projection_distance': 0.0}", p.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EpisodeStatus.Prepare, false)]
    [InlineData(EpisodeStatus.Pause, false)]
    [InlineData(EpisodeStatus.InProgress, true)]
    [InlineData(EpisodeStatus.OffTrack, true)]
    [InlineData(EpisodeStatus.LapComplete, true)]
    [InlineData(EpisodeStatus.Crashed, true)]
    [InlineData(EpisodeStatus.Reversed, true)]
    [InlineData(EpisodeStatus.Immobilized, true)]
    [InlineData(EpisodeStatus.TimeUp, true)]
    public void IsRewardCall_AllButPrepareAndPause(EpisodeStatus status, bool called) =>
        Assert.Equal(called, RewardParamsTable.IsRewardCall(status));

    [Fact]
    public async Task ToColumns_NamedAsTheKeys_HoldingEveryStepsParams()
    {
        var table = await ReinventAsync(reversed: true);

        var columns = table.ToColumns();

        Assert.Equal(
            ["x", "y", "heading", "speed", "steering_angle", "progress", "track_length", "track_width", "closest_waypoints_0", "closest_waypoints_1",
                "distance_from_center", "is_left_of_center", "all_wheels_on_track", "is_offtrack", "is_crashed", "is_reversed", "projection_distance"],
            columns.Select(c => c.Name));
        Assert.All(columns, c => Assert.Equal(5, c.Length));
        for (var i = 0; i < table.Count; i++)
        {
            var p = table[i];
            object[] expected =
            [
                p.X, p.Y, p.Heading, p.Speed, p.SteeringAngle, p.Progress, p.TrackLength, p.TrackWidth, p.ClosestWaypoints.Previous, p.ClosestWaypoints.Next,
                p.DistanceFromCenter, p.IsLeftOfCenter, p.AllWheelsOnTrack, p.IsOfftrack, p.IsCrashed, p.IsReversed, p.ProjectionDistance,
            ];
            Assert.Equal(expected, columns.Select(c => Value(c, i)));
        }

        Assert.Equal([false, true], [((Column<bool>)columns[11])[0], ((Column<bool>)columns[11])[1]]);
        Assert.Equal([true, true, true, true, true], ((Column<bool>)columns[15]).Values.ToArray());
    }

    private static object Value(Column column, int row) => column switch
    {
        Column<double> d => d[row],
        Column<int> n => n[row],
        Column<bool> b => b[row],
        _ => throw new InvalidOperationException(column.Name),
    };

    [Fact]
    public void GridIndex_FindsTheSameNearestPointAsAFullScan()
    {
        // The grid only prunes segments; on random points on and off a twisty track its answer equals the scan's.
        var track = TrackCatalog.Find("AWS_track")!;
        var random = new Random(9);
        var center = track.CenterLine.ToArray();
        for (var i = 0; i < 2000; i++)
        {
            var p = new TrackPoint(track.Min.X - 3 + (random.NextDouble() * (track.Size.X + 6)), track.Min.Y - 3 + (random.NextDouble() * (track.Size.Y + 6)));
            var projection = track.ProjectOnCenterLine(p);
            var best = double.MaxValue;
            var bestSegment = -1;
            for (var s = 0; s + 1 < center.Length; s++)
            {
                var (a, b) = (center[s], center[s + 1]);
                double vx = b.X - a.X, vy = b.Y - a.Y;
                var len2 = (vx * vx) + (vy * vy);
                var t = len2 == 0 ? 0 : Math.Clamp((((p.X - a.X) * vx) + ((p.Y - a.Y) * vy)) / len2, 0, 1);
                var d = p.DistanceTo(new TrackPoint(a.X + (t * vx), a.Y + (t * vy)));
                if (d < best)
                {
                    best = d;
                    bestSegment = s;
                }
            }

            Assert.Equal(bestSegment, projection.Segment);
            Assert.Equal(best, p.DistanceTo(projection.Point), 1e-12);
        }
    }
}
