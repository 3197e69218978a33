using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Rewards;

namespace DeepRacer.Analysis.Reports;

/// <summary>The report's sections, each drawn from one analysis (spec 7).</summary>
internal static class ReportSections
{
    public static void TrainingProgress(HtmlReport report, ChartSource source)
    {
        var progress = Analyses.TrainingProgress.Analyze(source.Episodes);
        report.Section(
            "Training progress",
            FormattableString.Invariant($"Per iteration, all workers together (grouped by {progress.GroupBy}). Completion rate over the whole training: {progress.TotalCompletionRate:P1}."));
        Charts(report, "progress", source);
        report.Table(progress.PerIteration, "Per iteration");
    }

    public static void CheckpointRanking(HtmlReport report, EpisodeTable episodes)
    {
        var ranking = Analyses.CheckpointRanking.Analyze(episodes);
        report.Section("Which checkpoint to race", "Iterations ranked by completion rate, then by mean complete-lap time: the policy that drove them is the candidate to race.")
            .Table(ranking.Ranking, "Checkpoint ranking", maxRows: 50);
    }

    public static void Aggregates(HtmlReport report, ChartSource source)
    {
        report.Section("All laps");
        Charts(report, "aggregates", source);
        if (source.Episodes.CompletedLaps().RowCount > 0)
        {
            report.Section("Complete laps");
            Charts(report, "complete-laps", source);
        }
    }

    public static void Categories(HtmlReport report, ChartSource source, bool training)
    {
        if (training)
        {
            report.Section("By quintile of the training", "Episodes in five equal spans of episode numbers: how the last fifth compares with the first.");
            Charts(report, "quintiles", source);
            report.Table(CategoryAnalysis.ByQuintile(source.Episodes).Summary, "Per quintile");
        }

        report.Section("By start waypoint", "Where an episode starts decides a lot: progress and completion per start waypoint.");
        Charts(report, "start-waypoints", source);
        report.Table(CategoryAnalysis.ByStartWaypoint(source.Episodes).Summary, "Per start waypoint");
    }

    public static void BestEpisodes(HtmlReport report, EpisodeTable episodes)
    {
        report.Section("Best episodes");
        foreach (var (name, table) in Analyses.BestEpisodes.Analyze(episodes).Tables)
        {
            report.Table(table, name, maxRows: 20);
        }
    }

    public static void OnTrack(HtmlReport report, ChartSource source, string? trackError, Func<Tracks.Track, Heatmap> heat, Func<Tracks.Track, ActionBreakdown> actions)
    {
        report.Section("Track");
        if (source.Track is not { } track)
        {
            report.Paragraph($"No track drawings: {trackError}");
            Charts(report, "reward-per-waypoint", source);
            return;
        }

        report.Paragraph(track.Reason);
        Charts(report, "laps", source);
        Charts(report, "reward-per-waypoint", source);
        foreach (var figure in Figures.From(AnalysisCharts.HeatmapChart(track.Track, heat(track.Track))))
        {
            report.Chart(figure);
        }

        var breakdown = actions(track.Track);
        report.Table(breakdown.Counts, $"Actions per track section ({breakdown.Breakdown.Name})", maxRows: 500);
    }

    public static void EvaluationLaps(HtmlReport report, ChartSource source)
    {
        report.Section("Evaluation laps").Table(Analyses.EvaluationLaps.Analyze(source.Steps).Laps, "Per lap");
        if (source.Track is not null)
        {
            Charts(report, "evaluation-laps", source);
        }
    }

    /// <summary>Adds a chart of <see cref="AnalysisCharts"/>: the same data <c>drlog plot</c> renders to PNG.</summary>
    private static void Charts(HtmlReport report, string kind, ChartSource source)
    {
        foreach (var figure in Figures.From(AnalysisCharts.Build(kind, source)))
        {
            report.Chart(figure);
        }
    }

    public static void RewardReplay(HtmlReport report, RewardComparison comparison, string functionName)
    {
        report.Section(
            "Old vs new reward",
            FormattableString.Invariant(
                $"{functionName} replayed over {comparison.Steps:N0} steps (params rebuilt as the simulator computes them): {comparison.MatchingSteps:N0} steps ({comparison.Agreement:P3}) give the logged reward; per-episode totals correlate at {comparison.EpisodeCorrelation:0.0000}.")
            + (comparison.Result.ErrorCount > 0 ? $" The function failed on {comparison.Result.ErrorCount:N0} steps (left out)." : string.Empty));
        foreach (var chart in new[] { RewardCharts.EpisodeTotals(comparison), RewardCharts.PerWaypoint(comparison), RewardCharts.DifferenceOnTrack(comparison, ModelReport.MaxDrawnPoints) })
        {
            foreach (var figure in Figures.From(chart))
            {
                report.Chart(figure);
            }
        }

        report.Table(comparison.RankChanges(20), "Episodes whose rank changes most (rank 1 = highest total)");
    }

    public static void Episodes(HtmlReport report, EpisodeTable episodes)
    {
        report.Section("Episodes").Table(episodes, "All episodes", maxRows: 2000);
    }

}
