using DeepRacer.Analysis.Episodes;

namespace DeepRacer.Analysis.Analyses;

/// <summary>
/// The notebooks' scatter grid over episodes (the reference's <c>scatter_aggregates</c>, spec 7.2), for all episodes or complete laps only.
/// </summary>
/// <param name="Episodes">How many episodes the charts show.</param>
/// <param name="Charts">Training, in grid order: time→progress, time→steps, time→reward, histogram of time, histogram of progress,
/// time→new_reward, start_at→progress, start_at→time_if_complete, start_at→reward. Evaluation: the first four.</param>
public sealed record ScatterAggregates(int Episodes, IReadOnlyList<Chart> Charts)
{
    /// <summary>Charts over every episode of the table.</summary>
    public static ScatterAggregates Analyze(EpisodeTable episodes)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        double[] Col(string name) => [.. Enumerable.Range(0, episodes.RowCount).Select(i => episodes[name].AsDouble(i))];

        var time = Col("time");
        var charts = new List<Chart>
        {
            Chart.Scatter("progress by time", "time", "progress", time, Col("progress")),
            Chart.Scatter("steps by time", "time", "steps", time, Col("steps")),
        };
        if (episodes.IsEvaluation)
        {
            charts.Add(Chart.Histogram("time", "time", time));
            charts.Add(Chart.Histogram("progress", "progress", Col("progress")));
        }
        else
        {
            var startAt = Col("start_at");
            charts.Add(Chart.Scatter("reward by time", "time", "reward", time, Col("reward")));
            charts.Add(Chart.Histogram("time", "time", time));
            charts.Add(Chart.Histogram("progress", "progress", Col("progress")));
            charts.Add(Chart.Scatter("new_reward by time", "time", "new_reward", time, Col("new_reward")));
            charts.Add(Chart.Scatter("progress by start waypoint", "start_at", "progress", startAt, Col("progress")));
            charts.Add(Chart.Scatter("time_if_complete by start waypoint", "start_at", "time_if_complete", startAt, Col("time_if_complete")));
            charts.Add(Chart.Scatter("reward by start waypoint", "start_at", "reward", startAt, Col("reward")));
        }

        return new ScatterAggregates(episodes.RowCount, charts);
    }

    /// <summary>Charts over the complete laps only (the notebooks' second call).</summary>
    public static ScatterAggregates AnalyzeCompleteLaps(EpisodeTable episodes)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        return Analyze(episodes.CompletedLaps());
    }
}
