using DeepRacer.Analysis.Episodes;

namespace DeepRacer.Analysis.Reports;

/// <summary>Report sections drawn from the episode table.</summary>
internal static class ReportSections
{
    /// <summary>Per-iteration means of reward, progress and lap time, and the completion rate.</summary>
    public static void TrainingProgress(HtmlReport report, EpisodeTable episodes)
    {
        var iteration = episodes.Get<int>("iteration").ToArray();
        var groups = iteration.Select((it, row) => (it, row)).GroupBy(x => x.it, x => x.row).OrderBy(g => g.Key).ToList();
        double[] x = [.. groups.Select(g => (double)g.Key)];
        double[] Mean(string column, Func<int, bool>? where = null) =>
            [.. groups.Select(g =>
            {
                var rows = g.Where(r => where?.Invoke(r) ?? true).ToList();
                return rows.Count == 0 ? double.NaN : rows.Average(r => episodes[column].AsDouble(r));
            })];

        var complete = episodes.Complete.ToArray();
        report.Section("Training progress", "Means per iteration over all episodes (all workers together).");
        var reward = new PlotlyFigure("Reward per iteration", "iteration", "mean reward");
        reward.Scatter("mean reward", x, Mean("reward"), "lines+markers", "#1f77b4");
        report.Chart(reward);
        var progress = new PlotlyFigure("Progress and completion per iteration", "iteration", "percent");
        progress.Scatter("mean progress", x, Mean("progress"), "lines+markers", "#2ca02c");
        progress.Scatter("completed laps", x, [.. Mean("complete").Select(v => v * 100)], "lines+markers", "#ff7f0e");
        report.Chart(progress);
        var laps = new PlotlyFigure("Lap time per iteration", "iteration", "seconds");
        laps.Scatter("mean time, all episodes", x, Mean("time"), "lines+markers", "#9467bd");
        laps.Scatter("mean time, completed laps", x, Mean("time", r => complete[r] == 1), "lines+markers", "#d62728");
        report.Chart(laps);
    }

    /// <summary>Every episode as a point, the fastest laps and the episode table.</summary>
    public static void Laps(HtmlReport report, EpisodeTable episodes)
    {
        report.Section("Episodes");
        var scatter = new PlotlyFigure("Time against progress, every episode", "time (s)", "progress (%)");
        scatter.Scatter("episodes", episodes.Time.ToArray(), episodes.Progress.ToArray());
        report.Chart(scatter);
        var fastest = episodes.CompletedLaps();
        if (fastest.RowCount > 0)
        {
            report.Table(fastest.Select(fastest.Order("time").Take(50).ToArray()), "Fastest complete laps");
        }
        else
        {
            report.Paragraph("No complete lap yet.");
        }

        report.Table(episodes, "All episodes", maxRows: 2000);
    }
}
