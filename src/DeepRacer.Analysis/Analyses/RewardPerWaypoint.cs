using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Analyses;

/// <summary>
/// Reward of the chosen steps (usually one episode) per closest waypoint: the notebook's bar chart of reward by
/// <c>closest_waypoint</c>, with the number of steps and the mean beside the sum.
/// </summary>
/// <param name="PerWaypoint">One row per waypoint 0..n−1 (n = the track's waypoints, else the largest seen + 1):
/// <c>waypoint, steps, reward_sum, reward_mean</c> (reward_mean NaN where no step was).</param>
/// <remarks>Its bar chart is <c>AnalysisCharts.RewardPerWaypoint</c>.</remarks>
public sealed record RewardPerWaypoint(Table PerWaypoint)
{
    /// <summary>Sums the reward of these step rows per closest waypoint.</summary>
    public static RewardPerWaypoint Analyze(StepTable steps, ReadOnlySpan<int> rows, Track? track = null)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var maxSeen = -1;
        foreach (var r in rows)
        {
            maxSeen = Math.Max(maxSeen, steps.ClosestWaypoint[r]);
        }

        var n = Math.Max(track?.WaypointCount ?? 0, maxSeen + 1);
        var count = new int[n];
        var sum = new double[n];
        foreach (var r in rows)
        {
            int wp = steps.ClosestWaypoint[r];
            if (wp < 0)
            {
                continue;
            }

            count[wp]++;
            sum[wp] += steps.Reward[r];
        }

        var mean = new double[n];
        for (var i = 0; i < n; i++)
        {
            mean[i] = count[i] == 0 ? double.NaN : sum[i] / count[i];
        }

        var waypoints = Enumerable.Range(0, n).ToArray();
        var table = new Table(
        [
            new Column<int>("waypoint", waypoints),
            new Column<int>("steps", count),
            new Column<double>("reward_sum", sum),
            new Column<double>("reward_mean", mean),
        ]);
        return new RewardPerWaypoint(table);
    }
}
