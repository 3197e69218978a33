using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Tests.Analyses;

// Expected values were computed with python3 (csv module, no pandas/numpy) from sample-drfc-1-logs/training-simtrace:
// episodes keyed by (file iteration, episode), rows sorted by steps, time = last - first tstamp (every episode starts
// with a prepare row), progress = max, reward = fsum, complete = progress == 100; pandas' sample std (n - 1);
// histograms recomputed with numpy's bin rule written out by hand (20 equal bins from min to max, last edge inclusive).
public class TrainingAnalysesTests
{
    private static async Task<EpisodeTable> Drfc1() => EpisodeTable.Aggregate(await Samples.Training("sample-drfc-1-logs"));

    private static int IterationRow(Table t, int iteration)
    {
        var it = t.Get<int>("iteration");
        for (var i = 0; i < t.RowCount; i++)
        {
            if (it[i] == iteration)
            {
                return i;
            }
        }

        throw new Xunit.Sdk.XunitException($"iteration {iteration} missing");
    }

    [Fact]
    public async Task TrainingProgress_Drfc1_PerIterationStatisticsMatchHandComputation()
    {
        var p = TrainingProgress.Analyze(await Drfc1());

        Assert.Equal(27, p.PerIteration.RowCount);
        Assert.Equal(42.0 / 540, p.TotalCompletionRate, 1e-15);
        Assert.Equal(539, p.EpisodeNumber);
        Assert.Equal(26, p.IterationNumber);
        Assert.Equal("episode", p.GroupBy);

        var t = p.PerIteration;
        var r0 = IterationRow(t, 0);
        Assert.Equal(20, t.Get<int>("episodes")[r0]);
        Assert.Equal(13.534500000000003, t.Get<double>("reward_mean")[r0], 1e-9);
        Assert.Equal(5.982491185908566, t.Get<double>("reward_std")[r0], 1e-9);
        Assert.Equal(1.6957999999999995, t.Get<double>("time_mean")[r0], 1e-9);
        Assert.Equal(0.6544257908957086, t.Get<double>("time_std")[r0], 1e-9);
        Assert.Equal(10.168173813843264, t.Get<double>("progress_mean")[r0], 1e-9);
        Assert.Equal(5.944383951697849, t.Get<double>("progress_std")[r0], 1e-9);
        Assert.Equal(0, t.Get<int>("complete_laps")[r0]);
        Assert.True(double.IsNaN(t.Get<double>("complete_time_mean")[r0]));

        var r20 = IterationRow(t, 20);
        Assert.Equal(70.15055000000001, t.Get<double>("reward_mean")[r20], 1e-9);
        Assert.Equal(39.17955200903844, t.Get<double>("reward_std")[r20], 1e-9);
        Assert.Equal(55.61084119030668, t.Get<double>("progress_mean")[r20], 1e-9);
        Assert.Equal(5, t.Get<int>("complete_laps")[r20]);
        Assert.Equal(13.43779999999997, t.Get<double>("complete_time_mean")[r20], 1e-9);
        Assert.Equal(12.733999999999924, t.Get<double>("complete_time_min")[r20], 1e-9);
        Assert.Equal(14.586999999999989, t.Get<double>("complete_time_max")[r20], 1e-9);
        Assert.Equal(0.25, t.Get<double>("completion_rate")[r20]);

        // Nine panels; the completed-lap panel only has the nine iterations 18..26 that completed a lap.
        var panels = AnalysisCharts.Progress(await Drfc1()).Panels;
        Assert.Equal(9, panels.Count);
        var laps = panels.Single(c => c.Title == "Mean completed laps time");
        Assert.Equal([18.0, 19, 20, 21, 22, 23, 24, 25, 26], laps.Series[0].X);
        Assert.Equal("Completion rate (avg: 0.07777777777777778)", panels[^1].Title);
        Assert.Equal(540, panels.Single(c => c.Title == "Total reward per episode").Series[0].X.Count);
    }

    [Fact]
    public async Task TrainingProgress_ThreeWorkers_GroupsByUniqueEpisode()
    {
        var episodes = EpisodeTable.Aggregate(await Samples.Training("sample-drfc-3-logs"));
        var p = TrainingProgress.Analyze(episodes);

        // python over the three workers' CSVs: 690 (worker, iteration, episode) keys, 30 per iteration 0..22, 24 complete laps;
        // iteration 20 completes 5 of 30; unique_episode runs 0..689.
        Assert.Equal("unique_episode", p.GroupBy);
        Assert.Equal(689, p.EpisodeNumber);
        Assert.Equal(22, p.IterationNumber);
        Assert.Equal(24.0 / 690, p.TotalCompletionRate, 1e-15);
        var r20 = IterationRow(p.PerIteration, 20);
        Assert.Equal(30, p.PerIteration.Get<int>("episodes")[r20]);
        Assert.Equal(5.0 / 30, p.PerIteration.Get<double>("completion_rate")[r20], 1e-15);
        Assert.Equal([10.0, 13, 14, 15, 17, 18, 19, 20, 21, 22], AnalysisCharts.Progress(episodes).Panels.Single(c => c.Title == "Mean completed laps time").Series[0].X);
    }

    [Fact]
    public async Task TrainingProgress_Evaluation_IsRefused()
    {
        var eval = EpisodeTable.Aggregate(await Samples.Evaluation("sample-drfc-1-logs"));
        var e = Assert.Throws<DeepRacerLogException>(() => TrainingProgress.Analyze(eval));
        Assert.Contains("training episodes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggregatesChart_AllAndCompleteLaps_HistogramsMatchHandComputation()
    {
        var episodes = await Drfc1();
        var all = AnalysisCharts.Aggregates(episodes).Panels;
        var complete = AnalysisCharts.CompleteLaps(episodes).Panels;

        Assert.Equal(540, all[0].Series[0].X.Count);
        Assert.Equal(9, all.Count);
        Assert.Equal(["time", "time", "time", "time", "progress", "time", "start_at", "start_at", "start_at"], all.Select(c => c.XLabel));
        var time = all[3].Series[0];
        Assert.Equal(SeriesStyle.Bars, time.Style);
        Assert.Equal([80.0, 90, 63, 43, 44, 26, 33, 27, 20, 11, 14, 11, 6, 12, 3, 1, 11, 15, 18, 12], time.Y);
        // Bars at the bin centres, one bin wide: the first bin starts at the shortest time, the last ends at the longest.
        Assert.Equal((14.653 - 0.864) / 20, time.BarWidth!.Value, 1e-9);
        Assert.Equal(0.864, time.X[0] - (time.BarWidth.Value / 2), 1e-9);
        Assert.Equal(14.653, time.X[^1] + (time.BarWidth.Value / 2), 1e-9);
        Assert.Equal([66.0, 78, 70, 40, 37, 44, 20, 33, 21, 13, 14, 12, 12, 8, 5, 7, 4, 7, 3, 46], all[4].Series[0].Y);

        Assert.Equal(42, complete[0].Series[0].X.Count);
        Assert.Equal([1.0, 0, 1, 1, 2, 2, 0, 3, 5, 6, 5, 3, 0, 1, 4, 3, 1, 0, 1, 3], complete[3].Series[0].Y);
        Assert.All(complete[0].Series[0].Y, p => Assert.Equal(100, p));
    }

    [Fact]
    public async Task AggregatesChart_Evaluation_HasTheFourEvaluationPanels()
    {
        var eval = AnalysisCharts.Aggregates(EpisodeTable.Aggregate(await Samples.Evaluation("sample-drfc-1-logs"))).Panels;
        Assert.Equal(9, eval[0].Series[0].X.Count); // python: 3 evaluation runs x 3 trials
        Assert.Equal([SeriesStyle.Dots, SeriesStyle.Dots, SeriesStyle.Bars, SeriesStyle.Bars], eval.Select(c => c.Series[0].Style));
    }

    [Fact]
    public async Task CategoryAnalysis_ByQuintile_ProgressAndCompletionPerFifth()
    {
        var q = CategoryAnalysis.ByQuintile(await Drfc1());

        // python: episodes 0..539 -> edges -0.539, 107.8, 215.6, 323.4, 431.2, 539: 108 episodes per quintile
        Assert.Equal(["1st", "2nd", "3rd", "4th", "5th"], q.Summary.Get<string>("quintile").ToArray());
        var s = q.Summary;
        Assert.Equal([108, 108, 108, 108, 108], s.Get<int>("episodes").ToArray());
        Assert.Equal([0, 0, 0, 13, 29], s.Get<int>("complete_laps").ToArray());
        Assert.Equal(0.12037037037037036, s.Get<double>("completion_rate")[3], 1e-15);
        Assert.Equal(11.189572832355061, s.Get<double>("progress_mean")[0], 1e-9);
        Assert.Equal(64.83220962518254, s.Get<double>("progress_mean")[4], 1e-9);
        Assert.Equal(13.660793103448308, s.Get<double>("complete_time_mean")[4], 1e-9);
        Assert.Equal(82.4977777777778, s.Get<double>("reward_mean")[4], 1e-9);
    }

    [Fact]
    public async Task CategoryAnalysis_ByStartWaypoint_ProgressAndCompletionPerStart()
    {
        var c = CategoryAnalysis.ByStartWaypoint(await Drfc1());

        // python: 20 distinct start waypoints 1, 7, 13, 19, ... with 27 episodes each
        var s = c.Summary;
        Assert.Equal(20, s.RowCount);
        Assert.Equal([1L, 7, 13, 19, 25], s.Get<long>("start_at")[..5].ToArray());
        Assert.Equal(27, s.Get<int>("episodes")[1]);
        Assert.Equal(4, s.Get<int>("complete_laps")[1]);
        Assert.Equal(35.277373934498065, s.Get<double>("progress_mean")[1], 1e-9);
        Assert.Equal(8.24562944060696, s.Get<double>("progress_min")[1], 1e-9);
        Assert.Equal(13.581250000000068, s.Get<double>("complete_time_mean")[1], 1e-9);
        Assert.Equal(0, s.Get<int>("complete_laps")[2]);
        Assert.True(double.IsNaN(s.Get<double>("complete_time_mean")[2]));
        Assert.Equal(35.36458840798507, s.Get<double>("progress_mean")[0], 1e-9);
    }

    [Fact]
    public async Task CategoryAnalysis_UnknownColumn_ListsColumns()
    {
        var episodes = await Drfc1();
        var e = Assert.Throws<DeepRacerLogException>(() => CategoryAnalysis.ByCategory(episodes, "lap"));
        Assert.StartsWith("No episode column 'lap' to group by; columns are iteration, episode,", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BestEpisodes_Drfc1_NotebookTables()
    {
        var best = BestEpisodes.Analyze(await Drfc1());

        Assert.Equal(["Best by new_reward", "Fastest complete laps", "Best-rewarded complete laps", "Most progressed"], best.Tables.Select(t => t.Name));
        var fastest = best.Tables[1].Table;
        Assert.Equal([385, 511, 375, 408, 363], fastest.Get<int>("episode").ToArray());
        Assert.Equal(12.211999999999989, fastest.Get<double>("time")[0], 1e-9);
        var reward = best.Tables[0].Table;
        Assert.Equal(10, reward.RowCount);
        Assert.Equal([523, 441, 421, 496, 465, 459, 470, 449, 521, 457], reward.Get<int>("episode").ToArray());
        Assert.Equal(142.404, reward.Get<double>("new_reward")[7], 1e-9);
        Assert.Equal([523, 441, 421, 496, 465], best.Tables[2].Table.Get<int>("episode").ToArray());
        // Ties at 100 % keep table order: the first five complete laps.
        Assert.Equal([363, 375, 377, 385, 399], best.Tables[3].Table.Get<int>("episode").ToArray());
    }

    [Fact]
    public async Task RewardPerWaypoint_FirstEpisode_SumsPerClosestWaypoint()
    {
        var steps = await Samples.Training("sample-drfc-1-logs");
        var track = TrackCatalog.Find("reinvent_base")!;
        var r = RewardPerWaypoint.Analyze(steps, steps.RowsOf(0, iteration: 0), track);

        // python: episode 0 rows per closest_waypoint: wp 1 -> 5 rows, reward 4.0; wp 2 -> 2 rows, 2.0; wp 4 -> 1 row, 1.0; none past 35
        var t = r.PerWaypoint;
        Assert.Equal(119, t.RowCount);
        Assert.Equal(5, t.Get<int>("steps")[1]);
        Assert.Equal(4.0, t.Get<double>("reward_sum")[1], 1e-12);
        Assert.Equal(0.8, t.Get<double>("reward_mean")[1], 1e-12);
        Assert.Equal(2.0, t.Get<double>("reward_sum")[2], 1e-12);
        Assert.Equal(1.0, t.Get<double>("reward_sum")[4], 1e-12);
        Assert.Equal(0, t.Get<int>("steps")[36]);
        Assert.True(double.IsNaN(t.Get<double>("reward_mean")[36]));
        Assert.Equal(57, t.Get<int>("steps").ToArray().Sum());
    }

    [Fact]
    public async Task CheckpointRanking_Drfc1_BestCompletionThenFastestLaps()
    {
        var r = CheckpointRanking.Analyze(await Drfc1()).Ranking;

        // python: iteration 22 completes 8 of 20 (0.4); 25 and 26 both 6 of 20, 25 faster (13.42 s vs 14.01 s); then 20 with 5.
        Assert.Equal(27, r.RowCount);
        Assert.Equal([1, 2, 3, 4], r.Get<int>("rank")[..4].ToArray());
        Assert.Equal([22, 25, 26, 20], r.Get<int>("iteration")[..4].ToArray());
        Assert.Equal(8, r.Get<int>("complete_laps")[0]);
        Assert.Equal(0.4, r.Get<double>("completion_rate")[0], 1e-15);
        Assert.Equal(13.57525000000004, r.Get<double>("complete_time_mean")[0], 1e-9);
        Assert.Equal(13.13000000000011, r.Get<double>("complete_time_best")[0], 1e-9);
        Assert.Equal(13.421833333333325, r.Get<double>("complete_time_mean")[1], 1e-9);
    }
}
