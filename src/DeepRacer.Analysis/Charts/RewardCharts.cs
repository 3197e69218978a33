using DeepRacer.Analysis.Rewards;

namespace DeepRacer.Analysis.Charts;

/// <summary>Charts of a reward replay: logged (old) against replayed (new) reward.</summary>
public static class RewardCharts
{
    private const string Blue = "#1f77b4";
    private const string Orange = "#ff7f0e";

    /// <summary>Per-episode totals, logged against new, one dot per episode.</summary>
    public static ChartData EpisodeTotals(RewardComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var old = comparison.Episodes.Get<double>("reward").ToArray();
        var replayed = comparison.Episodes.Get<double>("new_reward").ToArray();
        var panel = new ChartPanel("Reward per episode: logged vs new", "logged reward", "new reward", [new ChartSeries("episodes", Blue, old, replayed, SeriesStyle.Dots) { MarkerSize = 5 }]);
        return new ChartData("reward-episode-totals", [panel], 900, 600);
    }

    /// <summary>Mean reward per logged <c>closest_waypoint</c> over the replayed steps, logged and new.</summary>
    public static ChartData PerWaypoint(RewardComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var table = comparison.Result.Params;
        var steps = table.Steps;
        var waypoints = table.Track.WaypointCount;
        var oldSum = new double[waypoints];
        var newSum = new double[waypoints];
        var count = new int[waypoints];
        for (var i = 0; i < table.Count; i++)
        {
            var row = table.SourceRows[i];
            var w = steps.ClosestWaypoint[row];
            if (w < 0 || w >= waypoints || double.IsNaN(comparison.Result.NewReward[i]))
            {
                continue;
            }

            oldSum[w] += steps.Reward[row];
            newSum[w] += comparison.Result.NewReward[i];
            count[w]++;
        }

        var x = Enumerable.Range(0, waypoints).Where(w => count[w] > 0).Select(w => (double)w).ToArray();
        var panel = new ChartPanel("Mean reward per waypoint: logged vs new", "closest waypoint", "mean reward",
        [
            new ChartSeries("logged", Blue, x, [.. x.Select(w => oldSum[(int)w] / count[(int)w])], SeriesStyle.LineWithMarkers),
            new ChartSeries("new", Orange, x, [.. x.Select(w => newSum[(int)w] / count[(int)w])], SeriesStyle.LineWithMarkers),
        ]);
        return new ChartData("reward-per-waypoint-old-new", [panel], 1200, 500);
    }

    /// <summary>The replayed positions on the track coloured by new − logged reward (at most <paramref name="maxPoints"/>, evenly picked).</summary>
    public static ChartData DifferenceOnTrack(RewardComparison comparison, int maxPoints = 20_000)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var table = comparison.Result.Params;
        var steps = table.Steps;
        var stride = Math.Max(1, (table.Count + maxPoints - 1) / Math.Max(1, maxPoints));
        List<double> x = [], y = [], difference = [];
        for (var i = 0; i < table.Count; i += stride)
        {
            var row = table.SourceRows[i];
            var d = comparison.Result.NewReward[i] - steps.Reward[row];
            if (double.IsFinite(d))
            {
                x.Add(steps.X[row]);
                y.Add(steps.Y[row]);
                difference.Add(d);
            }
        }

        var series = AnalysisCharts.TrackLines(table.Track);
        var span = difference.Count == 0 ? 1 : Math.Max(1e-9, difference.Max(Math.Abs));
        series.Add(new ChartSeries("new - logged", Blue, x, y, SeriesStyle.Dots) { ColorValues = difference, ColorRange = (-span, span), MarkerSize = 4 });
        var panel = new ChartPanel($"New minus logged reward on {table.Track.Name} ({x.Count:N0} steps)", "x (m)", "y (m)", series) { EqualAxes = true };
        return new ChartData("reward-difference-on-track", [panel], 1200, 800);
    }
}
