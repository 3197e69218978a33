using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Charts;

/// <summary>What the analysis charts are drawn from.</summary>
/// <param name="Steps">Training or evaluation steps.</param>
/// <param name="Episodes">Their episode table.</param>
/// <param name="Track">The track, when known; track charts need it.</param>
public sealed record ChartSource(StepTable Steps, EpisodeTable Episodes, TrackResolution? Track);

/// <summary>
/// Every analysis chart by name, computed once as <see cref="ChartData"/>: the CLI renders it to PNG/SVG with
/// ScottPlot, the HTML report converts the same data to interactive plotly figures.
/// </summary>
public static class AnalysisCharts
{
    /// <summary>Laps drawn on the track: the fastest few, enough to compare lines without drowning them.</summary>
    public const int LapsOnTrack = 5;

    private const string Blue = ChartPalette.Blue;
    private const string Orange = ChartPalette.Orange;
    private const string Green = ChartPalette.Green;
    private const string Grey = ChartPalette.Grey;

    /// <summary>Chart names and what they show.</summary>
    public static IReadOnlyDictionary<string, string> Kinds { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["progress"] = "training progress per iteration: reward, time, progress, completion (the notebook's grid)",
        ["aggregates"] = "every episode: time against progress, steps, reward; histograms; start waypoint",
        ["complete-laps"] = "the same for complete laps only",
        ["quintiles"] = "completion rate and mean progress per quintile of the training",
        ["start-waypoints"] = "mean progress and completion rate by start waypoint",
        ["reward-per-waypoint"] = "reward per waypoint of the fastest lap",
        ["laps"] = "the fastest laps on the track, coloured by speed",
        ["heatmap"] = "mean reward over the track, 10 cm cells",
        ["evaluation-laps"] = "each evaluation lap on the track, coloured by speed",
    };

    /// <summary>The charts drawn on the track: they need <see cref="ChartSource.Track"/>.</summary>
    public static IReadOnlySet<string> TrackKinds { get; } = new HashSet<string>(StringComparer.Ordinal) { "laps", "heatmap", "evaluation-laps" };

    /// <summary>Whether a chart is drawn on the track and so needs <see cref="ChartSource.Track"/>.</summary>
    public static bool NeedsTrack(string kind) => TrackKinds.Contains(kind);

    /// <summary>Computes one chart.</summary>
    /// <exception cref="DeepRacerLogException">Unknown kind, or a track chart without a track.</exception>
    public static ChartData Build(string kind, ChartSource source)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(source);
        var episodes = source.Episodes;
        return kind switch
        {
            "progress" => Progress(episodes),
            "aggregates" => Aggregates(episodes),
            "complete-laps" => CompleteLaps(episodes),
            "quintiles" => Quintiles(episodes),
            "start-waypoints" => StartWaypoints(episodes),
            "reward-per-waypoint" => RewardPerWaypointChart(source),
            "laps" => Laps(source),
            "heatmap" => HeatmapChart(source),
            "evaluation-laps" => EvaluationLapsChart(source),
            _ => throw new DeepRacerLogException($"No chart '{kind}': charts are {string.Join(", ", Kinds.Keys)}."),
        };
    }

    /// <summary>
    /// Chart <c>progress</c>: training progress per iteration, the notebook's grid in its order: mean and std of reward per
    /// iteration, reward per episode; mean and std of time, mean completed-lap time (only when a lap was completed); mean
    /// and std of progress, completion rate.
    /// </summary>
    /// <exception cref="DeepRacerLogException">The table is an evaluation table or empty.</exception>
    public static ChartData Progress(EpisodeTable episodes)
    {
        var progress = TrainingProgress.Analyze(episodes);
        var table = progress.PerIteration;
        var its = Values(table, "iteration");
        var episodeNumbers = episodes[progress.GroupBy];
        double[] perEpisode = [.. Enumerable.Range(0, episodes.RowCount).Select(i => episodeNumbers.AsDouble(i))];
        var panels = new List<ChartPanel>
        {
            Scatter("Rewards per Iteration", "iteration", "reward_mean", its, Values(table, "reward_mean")),
            Scatter("Dev of reward", "iteration", "reward_std", its, Values(table, "reward_std")),
            Scatter("Total reward per episode", progress.GroupBy, "reward", perEpisode, episodes.Get<double>("reward").ToArray()),
            Scatter("Times per Iteration", "iteration", "time_mean", its, Values(table, "time_mean")),
            Scatter("Dev of time", "iteration", "time_std", its, Values(table, "time_std")),
        };
        var completeLaps = table.Get<int>("complete_laps").ToArray();
        if (completeLaps.Any(c => c > 0))
        {
            var withLaps = Enumerable.Range(0, completeLaps.Length).Where(i => completeLaps[i] > 0).ToArray();
            var completeMean = Values(table, "complete_time_mean");
            panels.Add(Scatter("Mean completed laps time", "iteration", "complete_time_mean", [.. withLaps.Select(i => its[i])], [.. withLaps.Select(i => completeMean[i])]));
        }

        panels.Add(Scatter("Progress per Iteration", "iteration", "progress_mean", its, Values(table, "progress_mean")));
        panels.Add(Scatter("Dev of progress", "iteration", "progress_std", its, Values(table, "progress_std")));
        panels.Add(Scatter($"Completion rate (avg: {Statistics.PythonFloat(progress.TotalCompletionRate)})", "iteration", "completion_rate", its, Values(table, "completion_rate")));
        return Grid("progress", panels);
    }

    /// <summary>
    /// Chart <c>aggregates</c>: the notebooks' scatter grid over every episode (the reference's <c>scatter_aggregates</c>,
    /// spec 7.2). Training, in grid order: time→progress, time→steps, time→reward, histograms of time and progress,
    /// time→new_reward, start_at→progress, start_at→time_if_complete, start_at→reward. Evaluation: the first two and the histograms.
    /// </summary>
    public static ChartData Aggregates(EpisodeTable episodes) => Grid("aggregates", AggregatePanels(episodes));

    /// <summary>Chart <c>complete-laps</c>: <see cref="Aggregates"/> for complete laps only (the notebooks' second call).</summary>
    public static ChartData CompleteLaps(EpisodeTable episodes)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        return Grid("complete-laps", AggregatePanels(episodes.CompletedLaps()));
    }

    private static List<ChartPanel> AggregatePanels(EpisodeTable episodes)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        double[] Col(string name) => [.. Enumerable.Range(0, episodes.RowCount).Select(i => episodes[name].AsDouble(i))];

        var time = Col("time");
        var panels = new List<ChartPanel>
        {
            Scatter("progress by time", "time", "progress", time, Col("progress")),
            Scatter("steps by time", "time", "steps", time, Col("steps")),
        };
        if (episodes.IsEvaluation)
        {
            panels.Add(Histogram("time", "time", time));
            panels.Add(Histogram("progress", "progress", Col("progress")));
        }
        else
        {
            var startAt = Col("start_at");
            panels.Add(Scatter("reward by time", "time", "reward", time, Col("reward")));
            panels.Add(Histogram("time", "time", time));
            panels.Add(Histogram("progress", "progress", Col("progress")));
            panels.Add(Scatter("new_reward by time", "time", "new_reward", time, Col("new_reward")));
            panels.Add(Scatter("progress by start waypoint", "start_at", "progress", startAt, Col("progress")));
            panels.Add(Scatter("time_if_complete by start waypoint", "start_at", "time_if_complete", startAt, Col("time_if_complete")));
            panels.Add(Scatter("reward by start waypoint", "start_at", "reward", startAt, Col("reward")));
        }

        return panels;
    }

    /// <summary>A one-series panel of dots (the notebooks' <c>scatter</c>), in the first colour.</summary>
    private static ChartPanel Scatter(string title, string xLabel, string yLabel, double[] x, double[] y) =>
        new(title, xLabel, yLabel, [new ChartSeries(yLabel, Blue, x, y, SeriesStyle.Dots)]);

    /// <summary>
    /// A histogram of the finite values with <paramref name="bins"/> equal bins between their minimum and maximum, counted
    /// as numpy/matplotlib count them (the last bin includes its right edge; equal values get a ±0.5 range): bars at the
    /// bin centres, as wide as a bin.
    /// </summary>
    private static ChartPanel Histogram(string title, string xLabel, IEnumerable<double> values, int bins = 20)
    {
        var (counts, edges) = Statistics.Histogram([.. values.Where(double.IsFinite)], bins);
        var centres = new double[bins];
        for (var i = 0; i < bins; i++)
        {
            centres[i] = (edges[i] + edges[i + 1]) / 2;
        }

        return new ChartPanel(title, xLabel, "count", [new ChartSeries("count", Blue, centres, [.. counts.Select(c => (double)c)], SeriesStyle.Bars) { BarWidth = edges[1] - edges[0] }]);
    }

    private static ChartData Grid(string name, IReadOnlyList<ChartPanel> panels)
    {
        var columns = (int)Math.Ceiling(Math.Sqrt(Math.Max(panels.Count, 1)));
        var rows = (panels.Count + columns - 1) / columns;
        return new ChartData(name, panels, 500 * columns, 380 * rows) { Layout = PanelLayout.Grid };
    }

    /// <summary>Chart <c>quintiles</c>: completion rate and mean progress per quintile of the training.</summary>
    public static ChartData Quintiles(EpisodeTable episodes)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        var summary = CategoryAnalysis.ByQuintile(episodes).Summary;
        double[] x = [.. Enumerable.Range(1, summary.RowCount).Select(i => (double)i)];
        var ticks = Enumerable.Range(0, summary.RowCount).Select(r => ((double)(r + 1), summary["quintile"].Format(r))).ToList();
        var panel = new ChartPanel(
            "Completion rate and mean progress per quintile",
            "quintile of the training",
            "percent",
            [
                new ChartSeries("completion rate", Orange, x, [.. Values(summary, "completion_rate").Select(v => v * 100)], SeriesStyle.LineWithMarkers),
                new ChartSeries("mean progress", Green, x, Values(summary, "progress_mean"), SeriesStyle.Bars) { BarWidth = 0.6 },
            ])
        { XTicks = ticks, YRange = (0, 100) };
        return new ChartData("quintiles", [panel], 900, 500);
    }

    /// <summary>Chart <c>start-waypoints</c>: mean progress and completion rate by start waypoint.</summary>
    public static ChartData StartWaypoints(EpisodeTable episodes)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        var summary = CategoryAnalysis.ByStartWaypoint(episodes).Summary;
        var x = Values(summary, "start_at");
        var panel = new ChartPanel(
            "Progress and completion by start waypoint",
            "start waypoint",
            "percent",
            [
                new ChartSeries("mean progress", Green, x, Values(summary, "progress_mean"), SeriesStyle.Bars) { BarWidth = 0.8 },
                new ChartSeries("completion rate", Orange, x, [.. Values(summary, "completion_rate").Select(v => v * 100)], SeriesStyle.Dots) { MarkerSize = 6 },
            ])
        { YRange = (0, 100) };
        return new ChartData("start-waypoints", [panel], 1200, 500);
    }

    /// <summary>Chart <c>reward-per-waypoint</c>: reward per waypoint of the fastest lap.</summary>
    public static ChartData RewardPerWaypointChart(ChartSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var best = Best(source.Episodes, 1);
        if (best.RowCount == 0)
        {
            throw new DeepRacerLogException("No episode to draw: the table is empty.");
        }

        var rows = new EpisodeRows(source.Steps).Of(best, 0);
        var table = RewardPerWaypoint.Analyze(source.Steps, rows, source.Track?.Track).PerWaypoint;
        var bars = new ChartSeries("reward", Blue, Values(table, "waypoint"), Values(table, "reward_sum"), SeriesStyle.Bars);
        return new ChartData("reward-per-waypoint", [new ChartPanel("Reward per waypoint", "closest_waypoint", "reward", [bars])], 1200, 500);
    }

    /// <summary>Chart <c>laps</c>: the fastest laps on the track (<see cref="ChartSource.Track"/> is needed), coloured by a step column.</summary>
    public static ChartData Laps(ChartSource source, string colorBy = "speed")
    {
        ArgumentNullException.ThrowIfNull(source);
        var column = colorBy;
        var track = RequireTrack(source);
        var best = Best(source.Episodes, LapsOnTrack);
        var laps = TrackLaps.ForEpisodes(source.Steps, track, best, Enumerable.Range(0, best.RowCount), column);
        var what = source.Episodes.CompletedLaps().RowCount > 0 ? "fastest complete laps" : "furthest episodes";
        var series = TrackLines(track);
        series.AddRange(laps.Laps.Select(l => new ChartSeries(l.Label, Blue, l.X, l.Y, SeriesStyle.Dots)
        {
            ColorValues = l.Value,
            ColorRange = (laps.ValueMin, laps.ValueMax),
            MarkerSize = 5,
        }));
        var panel = new ChartPanel($"The {best.RowCount} {what} on {track.Name}, coloured by {column}", "x (m)", "y (m)", series) { EqualAxes = true };
        return new ChartData("laps", [panel], 1200, 800);
    }

    /// <summary>Chart <c>heatmap</c>: mean reward over the track in 10 cm cells (<see cref="ChartSource.Track"/> is needed).</summary>
    public static ChartData HeatmapChart(ChartSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var track = RequireTrack(source);

        // 10 cm cells averaged: the reference's 1 cm "last step wins" grid is unreadable at chart size.
        return HeatmapChart(track, Heatmap.Analyze(source.Steps, null, track, "reward", HeatmapAggregate.Mean, cellSize: 0.1));
    }

    /// <summary>Chart <c>heatmap</c> of a computed mean-reward grid (a streamed report accumulates it while reading).</summary>
    public static ChartData HeatmapChart(Track track, Heatmap heat)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(heat);
        var panel = new ChartPanel($"Mean reward over {track.Name} (10 cm cells)", "x (m)", "y (m)", TrackLines(track))
        {
            EqualAxes = true,
            Heat = new HeatGrid(heat.OriginX, heat.OriginY, heat.CellSize, heat.Columns, heat.Rows, heat.Values, "mean reward"),
        };
        return new ChartData("heatmap", [panel], 1200, 800);
    }

    /// <summary>Chart <c>evaluation-laps</c>: each evaluation lap on the track (evaluation steps and <see cref="ChartSource.Track"/> are needed).</summary>
    public static ChartData EvaluationLapsChart(ChartSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var track = RequireTrack(source);
        if (source.Steps.Kind == StepTableKind.Training)
        {
            throw new DeepRacerLogException(InputProblem.EvaluationRequired, "evaluation-laps draws evaluation runs", "give it evaluation steps") { Subject = "evaluation-laps" };
        }

        var laps = EvaluationLaps.Analyze(source.Steps).Points.Take(12).ToList();
        var panels = laps.Select(l =>
        {
            var series = TrackLines(track);
            series.Add(new ChartSeries(l.Label, Blue, l.X, l.Y, SeriesStyle.Dots) { ColorValues = l.Value, MarkerSize = 4 });
            return new ChartPanel(l.Label, "x (m)", "y (m)", series) { EqualAxes = true };
        }).ToList();
        var columns = Math.Min(3, Math.Max(1, panels.Count));
        var rows = (panels.Count + columns - 1) / columns;
        return new ChartData("evaluation-laps", panels, 600 * columns, 450 * Math.Max(1, rows)) { Layout = PanelLayout.Grid };
    }

    /// <summary>The track's borders and centre line as line series.</summary>
    public static List<ChartSeries> TrackLines(Track track)
    {
        ArgumentNullException.ThrowIfNull(track);
        static ChartSeries Line(string name, ReadOnlySpan<TrackPoint> points, string color)
        {
            var x = new double[points.Length];
            var y = new double[points.Length];
            for (var i = 0; i < points.Length; i++)
            {
                x[i] = points[i].X;
                y[i] = points[i].Y;
            }

            return new ChartSeries(name, color, x, y, SeriesStyle.Line);
        }

        return
        [
            Line("outer border", track.OuterBorder, Grey),
            Line("inner border", track.InnerBorder, Grey),
            Line("centre line", track.CenterLine, "#d0d0d0") with { Opacity = 0.8 },
        ];
    }

    private static Track RequireTrack(ChartSource source) => source.Track?.Track
        ?? throw new DeepRacerLogException(InputProblem.TrackRequired, "This chart needs the track, and the logs do not name it", "give ChartSource a track (DeepRacerLog.ResolveTrackAsync)");

    /// <summary>The fastest complete laps, or the furthest episodes when none is complete: the episodes the track charts draw.</summary>
    internal static EpisodeTable BestEpisodes(EpisodeTable episodes, int count) => Best(episodes, count);

    private static EpisodeTable Best(EpisodeTable episodes, int count)
    {
        var complete = episodes.CompletedLaps();
        var from = complete.RowCount > 0 ? complete : episodes;
        var order = from.Order(complete.RowCount > 0 ? "time" : "progress", descending: complete.RowCount == 0).Take(count).ToArray();
        return (EpisodeTable)from.Select(order);
    }

    private static double[] Values(Table table, string column) =>
        [.. Enumerable.Range(0, table.RowCount).Select(r => table[column].AsDouble(r))];
}
