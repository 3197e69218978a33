using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Reports;

/// <summary>The report's sections, each drawn from one analysis (spec 7).</summary>
internal static class ReportSections
{
    /// <summary>Laps drawn on the track: the fastest few, enough to compare lines without drowning them.</summary>
    private const int LapsOnTrack = 5;

    public static void TrainingProgress(HtmlReport report, EpisodeTable episodes)
    {
        var progress = Analyses.TrainingProgress.Analyze(episodes);
        report.Section(
            "Training progress",
            FormattableString.Invariant($"Per iteration, all workers together (grouped by {progress.GroupBy}). Completion rate over the whole training: {progress.TotalCompletionRate:P1}."));
        foreach (var chart in progress.Charts)
        {
            report.Chart(Figures.From(chart));
        }

        report.Table(progress.PerIteration, "Per iteration");
    }

    public static void CheckpointRanking(HtmlReport report, EpisodeTable episodes)
    {
        var ranking = Analyses.CheckpointRanking.Analyze(episodes);
        report.Section("Which checkpoint to race", "Iterations ranked by completion rate, then by mean complete-lap time: the policy that drove them is the candidate to race.")
            .Table(ranking.Ranking, "Checkpoint ranking", maxRows: 50);
    }

    public static void Aggregates(HtmlReport report, EpisodeTable episodes)
    {
        report.Section("All laps");
        foreach (var chart in ScatterAggregates.Analyze(episodes).Charts)
        {
            report.Chart(Figures.From(chart));
        }

        if (episodes.CompletedLaps().RowCount > 0)
        {
            report.Section("Complete laps");
            foreach (var chart in ScatterAggregates.AnalyzeCompleteLaps(episodes).Charts)
            {
                report.Chart(Figures.From(chart));
            }
        }
    }

    public static void Categories(HtmlReport report, EpisodeTable episodes, bool training)
    {
        if (training)
        {
            var quintiles = CategoryAnalysis.ByQuintile(episodes);
            report.Section("By quintile of the training", "Episodes in five equal spans of episode numbers: how the last fifth compares with the first.")
                .Table(quintiles.Summary, "Per quintile");
            var byQuintile = new PlotlyFigure("Completion rate and mean progress per quintile", "quintile", "percent");
            byQuintile.Bar("completion rate", [.. Texts(quintiles.Summary, "quintile")], [.. Values(quintiles.Summary, "completion_rate").Select(v => v * 100)]);
            byQuintile.Bar("mean progress", [.. Texts(quintiles.Summary, "quintile")], [.. Values(quintiles.Summary, "progress_mean")]);
            report.Chart(byQuintile);
        }

        var starts = CategoryAnalysis.ByStartWaypoint(episodes);
        report.Section("By start waypoint", "Where an episode starts decides a lot: progress and completion per start waypoint.");
        var byStart = new PlotlyFigure("Progress and completion by start waypoint", "start waypoint", "percent");
        var waypoints = Values(starts.Summary, "start_at");
        byStart.Bar("mean progress", waypoints, Values(starts.Summary, "progress_mean"), "#2ca02c");
        byStart.Scatter("completion rate", waypoints, [.. Values(starts.Summary, "completion_rate").Select(v => v * 100)], "markers", "#ff7f0e");
        report.Chart(byStart).Table(starts.Summary, "Per start waypoint");
    }

    public static void BestEpisodes(HtmlReport report, EpisodeTable episodes)
    {
        report.Section("Best episodes");
        foreach (var (name, table) in Analyses.BestEpisodes.Analyze(episodes).Tables)
        {
            report.Table(table, name, maxRows: 20);
        }
    }

    public static void OnTrack(HtmlReport report, StepTable steps, EpisodeTable episodes, TrackResolution? track, string? trackError)
    {
        report.Section("Track");
        if (track is null)
        {
            report.Paragraph($"No track drawings: {trackError}");
            return;
        }

        report.Paragraph(track.Reason);
        var complete = episodes.CompletedLaps();
        var source = complete.RowCount > 0 ? complete : episodes;
        var order = source.Order(complete.RowCount > 0 ? "time" : "progress", descending: complete.RowCount == 0).Take(LapsOnTrack).ToArray();
        var best = (EpisodeTable)source.Select(order);
        var rows = Enumerable.Range(0, best.RowCount).ToList();
        var what = complete.RowCount > 0 ? "fastest complete laps" : "furthest episodes";
        foreach (var column in new[] { "speed", "reward" })
        {
            var laps = TrackLaps.ForEpisodes(steps, track.Track, best, rows, column);
            report.Chart(Figures.Laps(laps, $"The {best.RowCount} {what}, coloured by {column}"));
        }

        if (best.RowCount > 0)
        {
            var index = new EpisodeRows(steps);
            var perWaypoint = RewardPerWaypoint.Analyze(steps, index.Of(best, 0), track.Track);
            report.Chart(Figures.From(perWaypoint.Chart));
        }

        // 10 cm cells averaged: the reference's 1 cm "last step wins" grid is unreadable at report size.
        var heat = Heatmap.Compute(steps, null, track.Track, "reward", HeatmapAggregate.Mean, cellSize: 0.1);
        report.Chart(Figures.Heat(heat, track.Track, "Mean reward over the track (10 cm cells)"));
        var breakdown = ActionBreakdown.Analyze(steps, track.Track);
        report.Table(breakdown.Counts, $"Actions per track section ({breakdown.Breakdown.Name})", maxRows: 500);
    }

    public static void EvaluationLaps(HtmlReport report, StepTable steps, TrackResolution? track)
    {
        var laps = Analyses.EvaluationLaps.Analyze(steps);
        report.Section("Evaluation laps").Table(laps.Laps, "Per lap");
        if (track is not null)
        {
            foreach (var lap in laps.Points.Take(12))
            {
                var one = new TrackLaps(track.Track, "speed", [lap], lap.Value.Where(double.IsFinite).DefaultIfEmpty(0).Min(), lap.Value.Where(double.IsFinite).DefaultIfEmpty(1).Max());
                report.Chart(Figures.Laps(one, $"{lap.Label}, coloured by speed"));
            }
        }
    }

    public static void Episodes(HtmlReport report, EpisodeTable episodes)
    {
        report.Section("Episodes").Table(episodes, "All episodes", maxRows: 2000);
    }

    private static IEnumerable<string> Texts(Table table, string column) =>
        Enumerable.Range(0, table.RowCount).Select(r => table[column].Format(r));

    private static double[] Values(Table table, string column) =>
        [.. Enumerable.Range(0, table.RowCount).Select(r => table[column].AsDouble(r))];
}
