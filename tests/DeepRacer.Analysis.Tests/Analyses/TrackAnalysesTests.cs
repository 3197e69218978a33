using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Tests.Analyses;

// Expected values were computed with python3 (csv + struct, no numpy) from the sample CSVs and tracks/reinvent_base.npy.
// Positions are rounded to float32 in python (struct 'f') because the step table stores them so; the heat-map cells
// are trunc((x - min outer x + 1) * 100) as spec 7.5 says, with the outer-border minimum read from the .npy bytes.
public class TrackAnalysesTests
{
    private static Track ReinventBase => TrackCatalog.Find("reinvent_base")!;

    [Fact]
    public async Task TrackLaps_MostProgressedEpisode_PointsColouredBySpeed()
    {
        var steps = await Samples.Training("sample-drfc-1-logs");
        var episodes = EpisodeTable.Aggregate(steps);
        var most = BestEpisodes.Top(episodes, "progress", 3, largest: true);
        var laps = TrackLaps.ForEpisodes(steps, ReinventBase, most, [0], "speed");

        // python: iteration 18 episode 363 has 193 rows; first row X 5.856233798201334, Y 0.6844297680402778, throttle 1.0;
        // throttles range 1.0..2.0
        var lap = Assert.Single(laps.Laps);
        Assert.Equal("iteration 18 episode 363", lap.Label);
        Assert.Equal(193, lap.X.Length);
        Assert.Equal(5.856233798201334, lap.X[0], 1e-6);
        Assert.Equal(0.6844297680402778, lap.Y[0], 1e-6);
        Assert.Equal(1.0, lap.Value[0]);
        Assert.Equal(1.0, laps.ValueMin);
        Assert.Equal(2.0, laps.ValueMax);
        Assert.Same(ReinventBase, laps.Track);
    }

    [Fact]
    public async Task TrackLaps_EvaluationEpisode_FoundByStream()
    {
        var steps = await Samples.Evaluation("sample-drfc-1-logs");
        var episodes = EpisodeTable.Aggregate(steps);
        var laps = TrackLaps.ForEpisodes(steps, ReinventBase, episodes, [0, 8], "reward");

        // python: stream 20220709200242 episode 0 has 222 rows, stream 20220709200711 episode 2 has 213
        Assert.Equal(["stream 20220709200242 episode 0", "stream 20220709200711 episode 2"], laps.Laps.Select(l => l.Label));
        Assert.Equal([222, 213], laps.Laps.Select(l => l.Value.Length));
    }

    [Fact]
    public async Task TrackLaps_WholeIterationByProgress_AndUnknownColumnIsAnError()
    {
        var steps = await Samples.Training("sample-drfc-1-logs");
        var laps = TrackLaps.ForIterations(steps, ReinventBase, [0], "progress");
        Assert.Equal(529, Assert.Single(laps.Laps).X.Length); // python: 529 rows in 0-iteration.csv

        var e = Assert.Throws<DeepRacerLogException>(() => TrackLaps.ForIterations(steps, ReinventBase, [0], "velocity"));
        Assert.StartsWith("No numeric step column 'velocity'; use one of speed, reward, action, progress", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heatmap_RewardOfIterationZero_ReferenceGridLastValueWins()
    {
        var steps = await Samples.Training("sample-drfc-1-logs");
        var rows = new EpisodeRows(steps).OfIterations([0]);
        var map = Heatmap.Analyze(steps, rows, ReinventBase, "reward");

        // python: outer border x 0.32625..7.66438, y 0.28990..4.87901 -> (trunc(9.338) x trunc(6.589)) m x 100 = 900 x 600 cells;
        // the 529 rows of iteration 0 fill 507 distinct cells; the last row (X 4.2479744, Y 1.2379705) lands in row 194,
        // column 492 with reward 0.001; the first row's cell (139, 387) ends as 1.0.
        Assert.Equal(900, map.Columns);
        Assert.Equal(600, map.Rows);
        Assert.Equal(0.32625308632850647 - 1, map.OriginX, 1e-12);
        Assert.Equal(0.28989818692207336 - 1, map.OriginY, 1e-12);
        Assert.Equal(507, map.Values.Count(v => !double.IsNaN(v)));
        Assert.Equal(0.001, map[194, 492], 1e-12);
        Assert.Equal(1.0, map[139, 387]);
        Assert.Equal(0, map.Outside);
    }

    [Fact]
    public async Task Heatmap_CountOnHalfMetreCells()
    {
        var steps = await Samples.Training("sample-drfc-1-logs");
        var map = Heatmap.Analyze(steps, null, ReinventBase, aggregate: HeatmapAggregate.Count, cellSize: 0.5);

        // python: all 39392 rows on 0.5 m cells: 132 cells used, the busiest (row 4, column 15) holds 1064 steps, then (2, 9) 995
        Assert.Equal(18, map.Columns);
        Assert.Equal(12, map.Rows);
        Assert.Equal(132, map.Values.Count(v => !double.IsNaN(v)));
        Assert.Equal(1064, map[4, 15]);
        Assert.Equal(995, map[2, 9]);
        Assert.Equal(39392, map.Values.Where(v => !double.IsNaN(v)).Sum());
    }

    [Fact]
    public async Task EvaluationLaps_Drfc1_PerLapStatistics()
    {
        var laps = EvaluationLaps.Analyze(await Samples.Evaluation("sample-drfc-1-logs"));
        var t = laps.Laps;

        // python, per (stream, episode) sorted by steps: distance = sum of float32 step distances, lap time = max - min tstamp
        Assert.Equal(9, t.RowCount);
        Assert.Equal("20220709200242", t["stream"].AsText(0));
        Assert.Equal(222, t.Get<int>("steps")[0]);
        Assert.Equal(17.8694863652903, t.Get<double>("distance")[0], 1e-9);
        Assert.Equal(14.746, t.Get<double>("lap_time")[0], 1e-9);
        Assert.Equal(1.2118192299803539, t.Get<double>("velocity")[0], 1e-9);
        Assert.Equal(1.1981981981981982, t.Get<double>("speed_mean")[0], 1e-9);
        Assert.Equal(100, t.Get<double>("progress")[0]);
        Assert.Equal(1, t.Get<int>("complete")[0]);
        // the last lap: stream 20220709200711 episode 2
        Assert.Equal("20220709200711", t["stream"].AsText(8));
        Assert.Equal(2, t.Get<int>("episode")[8]);
        Assert.Equal(19.48804152032855, t.Get<double>("distance")[8], 1e-9);
        Assert.Equal(14.143, t.Get<double>("lap_time")[8], 1e-9);
        Assert.Equal(9, laps.Points.Count);
        Assert.Equal(213, laps.Points[8].X.Length);
    }

    [Fact]
    public async Task EvaluationLaps_LapDetail_StepDifferences()
    {
        var steps = await Samples.Evaluation("sample-drfc-1-logs");
        var detail = EvaluationLaps.LapDetail(steps, steps.RowsOf(0, stream: "20220709200242"));

        // python: steps 1->2 move 0.00016338459444216897 m in 0.084 s, progress -0.0009216410165567845;
        // steps 2->3 move 0.010292641817053737 m in 0.053 s
        Assert.True(double.IsNaN(detail.Get<double>("distance")[0]));
        Assert.Equal(0.00016338459444216897, detail.Get<double>("distance")[1], 1e-12);
        Assert.Equal(0.084, detail.Get<double>("time")[1], 1e-12);
        Assert.Equal(-0.0009216410165567845, detail.Get<double>("progress_delta")[1], 1e-12);
        Assert.Equal(0.19420078900101415, detail.Get<double>("velocity")[2], 1e-9);
        Assert.Equal((0.010292641817053737 - 0.00016338459444216897) / 0.053, detail.Get<double>("acceleration")[2], 1e-9);
    }

    [Fact]
    public async Task EvaluationLaps_TrainingSteps_AreRefused()
    {
        var steps = await Samples.Training("sample-drfc-1-logs");
        Assert.Throws<DeepRacerLogException>(() => EvaluationLaps.Analyze(steps));
    }

    [Fact]
    public async Task ActionBreakdown_Discrete_Reinvent2018Sections()
    {
        var steps = await Samples.Training("sample-drfc-1-logs");
        var b = ActionBreakdown.Analyze(steps, ReinventBase, TrackBreakdown.Reinvent2018);

        // python: 14 actions; rows with closest_waypoint 10..25 (the hairpin box 15-5..15+10): 5566, of them action 0: 138;
        // action 0 overall 1067 steps, 3 of them at waypoint 15
        Assert.Equal(14, b.Actions.Count);
        Assert.Equal("A:0 S:1.0, T:30.0 RIGHT", b.Actions[0].Name);
        Assert.Equal(1067, b.Actions[0].X.Length);
        Assert.Equal(1067, b.Actions[0].PerWaypoint.Sum());
        Assert.Equal(3, b.Actions[0].PerWaypoint[15]);
        var counts = b.Counts;
        var hairpin0 = Enumerable.Range(0, counts.RowCount).Single(i => counts.Get<int>("action")[i] == 0 && counts["section"].AsText(i) == "hairpin");
        Assert.Equal(10, counts.Get<int>("first_waypoint")[hairpin0]);
        Assert.Equal(25, counts.Get<int>("last_waypoint")[hairpin0]);
        Assert.Equal(138, counts.Get<int>("steps")[hairpin0]);
        Assert.Equal(138.0 / 5566, counts.Get<double>("share")[hairpin0], 1e-15);
        var hairpin12 = Enumerable.Range(0, counts.RowCount).Single(i => counts.Get<int>("action")[i] == 12 && counts["section"].AsText(i) == "hairpin");
        Assert.Equal(1029, counts.Get<int>("steps")[hairpin12]);
    }

    [Fact]
    public async Task ActionBreakdown_MinReward_FiltersSteps()
    {
        var steps = await Samples.Training("sample-drfc-1-logs");
        var b = ActionBreakdown.Analyze(steps, ReinventBase, TrackBreakdown.Reinvent2018, minReward: 1.0);

        // python: hairpin rows with reward >= 1.0: 2376, of them action 0: 66
        var counts = b.Counts;
        var hairpin0 = Enumerable.Range(0, counts.RowCount).Single(i => counts.Get<int>("action")[i] == 0 && counts["section"].AsText(i) == "hairpin");
        Assert.Equal(66, counts.Get<int>("steps")[hairpin0]);
        Assert.Equal(66.0 / 2376, counts.Get<double>("share")[hairpin0], 1e-15);
    }

    [Fact]
    public async Task ActionBreakdown_Continuous_BinsSteeringAndSpeed()
    {
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Fixture("continuous-console.csv"));
        var steps = await log.LoadTrainingTraceAsync();
        var b = ActionBreakdown.Analyze(steps, ReinventBase);

        // Fixture rows (steer, throttle, closest waypoint): (-21.59, 3.456, 1), (12.5, 1.25, 1), (-25.0, 1.331, 2);
        // 10-degree and 0.5 m/s bins by floor -> steer -30, 10, -30 and speed 3.0, 1.0, 1.0.
        Assert.Equal(["S:[1.0, 1.5) T:[-30.0, -20.0)", "S:[3.0, 3.5) T:[-30.0, -20.0)", "S:[1.0, 1.5) T:[10.0, 20.0)"], b.Actions.Select(a => a.Name));
        Assert.All(b.Actions, a => Assert.Null(a.Action));
        Assert.Equal(1, b.Actions[0].PerWaypoint[2]);
        // Ten even sections of reinvent_base; waypoints 1 and 2 are in the first, which holds all three steps.
        Assert.Equal("section 1", b.Counts["section"].AsText(0));
        Assert.Equal(1, b.Counts.Get<int>("steps")[0]);
        Assert.Equal(1.0 / 3, b.Counts.Get<double>("share")[0], 1e-15);
        Assert.Equal(-1, b.Counts.Get<int>("action")[0]);
    }

    [Fact]
    public void TrackBreakdown_Even_SplitsByCentreLineDistance()
    {
        var b = TrackBreakdown.Even(ReinventBase, 2);

        // python: reinvent_base half length 8.854579690417424; cumulative distance at waypoint 59 is 8.853159914734054 (< half),
        // so waypoints 0..59 form the first half and 60..118 the second.
        Assert.Equal([new TrackSection("section 1", 0, 59), new TrackSection("section 2", 60, 118)], b.Sections);
    }

    [Theory]
    [InlineData("reinvent_carpet", "reinvent2018")]
    [InlineData("London_Loop_Train", "london_loop")]
    [InlineData("Albert", null)]
    public void TrackBreakdown_Shipped_ByLayout(string track, string? breakdown)
    {
        Assert.Equal(breakdown, TrackBreakdown.Shipped(TrackCatalog.Find(track)!)?.Name);
    }

    [Fact]
    public void TrackBreakdown_Reinvent2018_SegmentsSpanTheReferenceErrorBoxes()
    {
        // spec 7.4: segment_x [15, 32, 42, 51, 63], lower [5, 1, 2, 1, 2], upper [10, 1, 3, 2, 4]
        Assert.Equal(
            [new TrackSection("hairpin", 10, 25), new TrackSection("right", 31, 33), new TrackSection("left", 40, 45), new TrackSection("left", 50, 53), new TrackSection("left", 61, 67)],
            TrackBreakdown.Reinvent2018.Sections);
    }
}
