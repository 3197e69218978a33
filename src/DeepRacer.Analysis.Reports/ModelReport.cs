using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Rewards;
using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Metrics;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Reports;

/// <summary>
/// The notebooks' analysis of one model as one offline HTML page: model, hyperparameters, action space and
/// stability at the top, then progress, laps and tables.
/// </summary>
/// <remarks>Statistics always use every step; only what is drawn point by point is thinned to keep a 500 MB training's page small and fast.</remarks>
public static class ModelReport
{
    /// <summary>Most points drawn in one scatter of steps; statistics are never sampled.</summary>
    public const int MaxDrawnPoints = 20_000;

    /// <summary>Loads what a report needs and builds it.</summary>
    /// <param name="log">The opened model.</param>
    /// <param name="kind">Training (default) or evaluation.</param>
    /// <param name="progress">Load progress.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    public static async Task<HtmlReport> BuildAsync(DeepRacerLog log, StepTableKind kind = StepTableKind.Training, IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        var info = await log.LoadInfoAsync(cancellationToken).ConfigureAwait(false);
        if (kind == StepTableKind.Training && await BuildStreamedAsync(log, info, null, null, progress, cancellationToken).ConfigureAwait(false) is { } streamed)
        {
            return streamed.Report;
        }

        var steps = await log.LoadAsync(kind, TraceKind.Auto, progress, cancellationToken).ConfigureAwait(false);
        var (track, error) = await ResolveTrackAsync(log, null, steps, cancellationToken).ConfigureAwait(false);
        var race = kind == StepTableKind.Training ? null : await RaceResult.LoadAsync(log.Source, log.Layout, 1, cancellationToken).ConfigureAwait(false);
        return Build(log, info, steps, track, error, race);
    }

    /// <summary>
    /// Builds a training report without loading the steps as a table: the files are read as streams into the tables and
    /// views the report shows (see the remarks); the page is the same, byte for byte, as <see cref="Build"/> of the loaded
    /// steps. Null when the steps need a table (logs, simtrace whose rows need reordering): then load them and call <see cref="Build"/>.
    /// </summary>
    /// <remarks>
    /// Memory holds the episodes, the stability groups, one heat-map grid and the steps of the laps drawn, not every step.
    /// The files are read once for the tables (and the heat map and action counts when the track is given or named by the
    /// logs), and again for the laps drawn (only their files then). A track guessed from the positions needs a read of the
    /// files that hold the sampled rows, and the heat map and action counts then come with the laps' read of every file.
    /// </remarks>
    /// <param name="log">The opened model.</param>
    /// <param name="info">Its metadata (<see cref="DeepRacerLog.LoadInfoAsync"/>).</param>
    /// <param name="trackName">The track (a name or <c>.npy</c> file), or null to take it from the logs or guess it as <see cref="DeepRacerLog.ResolveTrackAsync"/> does.</param>
    /// <param name="trackErrorText">How to word why no track is known (default: the message).</param>
    /// <param name="progress">Progress of the first read.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The report and what the first read loaded (files, rows, skipped lines); null when the steps need a table.</returns>
    /// <exception cref="DeepRacerLogException"><paramref name="trackName"/> names no track.</exception>
    public static async Task<(HtmlReport Report, LoadReport Load)?> BuildStreamedAsync(
        DeepRacerLog log, ModelInfo info, string? trackName = null, Func<DeepRacerLogException, string>? trackErrorText = null, IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(info);
        var streamed = await log.StreamTrainingAsync(trackName, e => AnalysisCharts.BestEpisodes(e, AnalysisCharts.LapsOnTrack), HeatCellSize, progress, cancellationToken).ConfigureAwait(false);
        if (streamed is null)
        {
            return null;
        }

        var source = new ChartSource(streamed.Kept, streamed.Episodes, streamed.Track);
        var steps = new ReportSteps(streamed.Episodes.Report, streamed.WorkerCount, streamed.Stability, source, _ => streamed.Heat!, _ => streamed.ActionCounts!);
        var trackError = streamed.TrackError is { } e ? trackErrorText?.Invoke(e) ?? e.Message : null;
        return (BuildSections(log, info, steps, trackError, null, null, "reward_function"), streamed.Episodes.Report);
    }

    /// <summary>Heat-map cell edge, metres.</summary>
    private const double HeatCellSize = 0.1;

    /// <summary>What the sections read of the steps: from a loaded table, or streamed (<see cref="BuildStreamedAsync"/>).</summary>
    private sealed record ReportSteps(LoadReport Load, int WorkerCount, StabilityReport Stability, ChartSource Source, Func<Track, Heatmap> Heat, Func<Track, ActionBreakdown> Actions);

    /// <summary>The track of the logs, or why none could be chosen (a report without track drawings is still a report).</summary>
    public static async Task<(TrackResolution? Track, string? Error)> ResolveTrackAsync(DeepRacerLog log, string? nameOrFile, StepTable steps, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await log.ResolveTrackAsync(nameOrFile, steps, cancellationToken).ConfigureAwait(false), null);
        }
        catch (DeepRacerLogException e) when (nameOrFile is null)
        {
            return (null, e.Message);
        }
    }

    /// <summary>Builds the report from loaded tables.</summary>
    /// <param name="log">The model.</param>
    /// <param name="info">Its metadata.</param>
    /// <param name="steps">Its training or evaluation steps.</param>
    /// <param name="track">The track, when known (see <see cref="TrackResolver"/>); without it the track drawings are left out.</param>
    /// <param name="trackError">Why there is no track, shown in its place.</param>
    /// <param name="race">Evaluation and submission results as DeepRacer on AWS scores them (<see cref="RaceResult.LoadAsync"/>), shown after the evaluation laps.</param>
    /// <param name="reward">A reward replay over <paramref name="steps"/>: fills <c>new_reward</c> and adds the "Old vs new reward" section.</param>
    /// <param name="rewardName">The replayed function's name for the section's text.</param>
    public static HtmlReport Build(DeepRacerLog log, ModelInfo info, StepTable steps, TrackResolution? track = null, string? trackError = null, IReadOnlyList<RaceResult>? race = null, RewardComparison? reward = null, string rewardName = "reward_function")
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(steps);
        var episodes = EpisodeTable.Aggregate(steps, reward?.Result.NewRewardPerRow());
        var source = new ChartSource(steps, episodes, track);
        var views = new ReportSteps(
            steps.Report with { Rows = steps.RowCount },
            steps.WorkerCount,
            StabilityAnalysis.Analyze(steps),
            source,
            t => Heatmap.Analyze(steps, null, t, "reward", HeatmapAggregate.Mean, HeatCellSize),
            t => ActionBreakdown.Analyze(steps, t));
        return BuildSections(log, info, views, trackError, race, reward, rewardName);
    }

    private static HtmlReport BuildSections(DeepRacerLog log, ModelInfo info, ReportSteps steps, string? trackError, IReadOnlyList<RaceResult>? race, RewardComparison? reward, string rewardName)
    {
        var source = steps.Source;
        var episodes = source.Episodes;
        var training = source.Steps.Kind == StepTableKind.Training;
        var report = new HtmlReport($"{(training ? "Training" : "Evaluation")} analysis: {Path.GetFileName(log.Source.Description.TrimEnd('/'))}");
        AddModel(report, log, info, steps);
        AddStability(report, steps.Stability);
        if (training)
        {
            ReportSections.TrainingProgress(report, source);
            ReportSections.CheckpointRanking(report, episodes);
        }
        else
        {
            ReportSections.EvaluationLaps(report, source);
        }

        if (race is { Count: > 0 })
        {
            report.Section(
                "Race results",
                "Each evaluation and submission scored from its metrics JSON with DeepRacer on AWS's rules: best lap over all trials, best average "
                + "over the minimum laps (1 here) of consecutive complete laps, total time, longest run of complete laps; ranked by total time.")
                .Table(RaceResult.ToTable(race, TimingMethod.Total), "race results (times in seconds)");
        }

        ReportSections.Aggregates(report, source);
        ReportSections.Categories(report, source, training);
        ReportSections.BestEpisodes(report, episodes);
        if (training)
        {
            ReportSections.OnTrack(report, source, trackError, steps.Heat, steps.Actions);
        }

        if (reward is not null)
        {
            ReportSections.RewardReplay(report, reward, rewardName);
        }

        ReportSections.Episodes(report, episodes);
        return report;
    }

    private static void AddModel(HtmlReport report, DeepRacerLog log, ModelInfo info, ReportSteps steps)
    {
        var items = new List<(string, string)>
        {
            ("source", log.Source.Description),
            ("folder type", log.FolderType.ToString()),
            ("steps loaded", steps.Load.Rows.ToString("N0", CultureInfo.InvariantCulture)),
            ("files read", steps.Load.Files.ToString(CultureInfo.InvariantCulture)),
        };
        if (steps.Load.BadLineCount > 0)
        {
            items.Add(("bad lines skipped", $"{steps.Load.BadLineCount} (first: {steps.Load.FirstBadLines[0]})"));
        }

        if (steps.WorkerCount > 1)
        {
            items.Add(("workers", steps.WorkerCount.ToString(CultureInfo.InvariantCulture)));
        }

        if (info.WorldName is { } world)
        {
            items.Add(("world", world));
        }

        if (info.Agent is { } agent)
        {
            items.Add(("sensors", string.Join(", ", agent.SensorList)));
            items.Add(("network", agent.Network ?? "?"));
            items.Add(("simapp version", agent.SimappVersion ?? "?"));
            items.Add(("training algorithm", agent.TrainingAlgorithm ?? "?"));
        }

        foreach (var (key, value) in info.Job.Where(j => j.Key is "JOB_TYPE" or "RACE_TYPE" or "MODEL_NAME" or "NUMBER_OF_TRIALS"))
        {
            items.Add((key.ToLowerInvariant(), value));
        }

        report.Section("Model").KeyValues(items);
        if (info.Hyperparameters is { } hp)
        {
            report.Section("Hyperparameters").KeyValues(hp.Values.Select(v => (v.Key, v.Value.ToString())));
        }

        if (info.ActionSpace is { } space)
        {
            report.Section("Action space", space.ToString());
            if (!space.IsContinuous)
            {
                report.Table(ActionTable(space), "Actions");
            }
        }
    }

    private static Table ActionTable(ActionSpace space) => new(
    [
        new Column<int>("index", [.. space.Actions.Select(a => a.Index)]),
        new Column<double>("steering_angle", [.. space.Actions.Select(a => a.SteeringAngle)]),
        new Column<double>("speed", [.. space.Actions.Select(a => a.Speed)]),
    ]);

    private static void AddStability(HtmlReport report, StabilityReport stability)
    {
        var o = stability.Overall;
        report.Section(
            "Simulator stability",
            FormattableString.Invariant($"{o.Count:N0} step intervals: mean {o.AvgMs:0.0} ms, 95th percentile {o.P95Ms:0.0} ms, max {o.MaxMs:0.0} ms (target 66.7 ms; over 70 ms mean or 90 ms p95 hurts training)."));
        report.Table(stability.Groups, "Step timing per worker and iteration");
    }
}
