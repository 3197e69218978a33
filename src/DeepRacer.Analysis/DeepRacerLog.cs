using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis;

/// <summary>
/// A model's logs: open a source, see what it holds, load its steps into a <see cref="StepTable"/>.
/// </summary>
/// <example>
/// <code>
/// using var log = await DeepRacerLog.OpenAsync("samples/sample-drfc-3-logs");
/// var steps = await log.LoadTrainingTraceAsync();
/// var episodes = EpisodeTable.Aggregate(steps);
/// </code>
/// </example>
public sealed partial class DeepRacerLog : IDisposable
{
    private DeepRacerLog(ModelSource source, ModelLayout layout)
    {
        Source = source;
        Layout = layout;
    }

    /// <summary>Where the logs are.</summary>
    public ModelSource Source { get; }

    /// <summary>What the source holds.</summary>
    public ModelLayout Layout { get; }

    /// <summary>The detected folder type.</summary>
    public FolderType FolderType => Layout.FolderType;

    /// <summary>Header metadata of the last log loaded with <see cref="LoadLogsAsync"/>.</summary>
    public LogMetadata? LogMetadata { get; private set; }

    /// <summary>Opens a folder, <c>.tar.gz</c>, <c>.csv</c>/<c>.log</c> file or <c>s3://bucket/prefix</c> and detects its layout.</summary>
    /// <exception cref="DeepRacerLogException">The location is missing, unreachable or holds no recognisable logs.</exception>
    public static async Task<DeepRacerLog> OpenAsync(string location, S3Options? s3 = null, CancellationToken cancellationToken = default) =>
        await OpenAsync(ModelSource.Open(location, s3), cancellationToken).ConfigureAwait(false);

    /// <summary>Detects the layout of a source.</summary>
    /// <exception cref="DeepRacerLogException">The source holds no recognisable logs.</exception>
    public static async Task<DeepRacerLog> OpenAsync(ModelSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            return await DetectAsync(source, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The log owns its source; one that never became a log must not leak its client.
            source.Dispose();
            throw;
        }
    }

    private static async Task<DeepRacerLog> DetectAsync(ModelSource source, CancellationToken cancellationToken)
    {
        var files = await source.ListAsync(cancellationToken).ConfigureAwait(false);
        if (source is SingleFileSource)
        {
            return new DeepRacerLog(source, ModelLayout.ForSingleFile(files[0]));
        }

        if (files.Count == 0)
        {
            throw new DeepRacerLogException(source is S3ModelSource
                ? $"Nothing under {source.Description}: check the bucket and model prefix."
                : $"{source.Description} is empty: give a model folder with logs.");
        }

        var layout = ModelLayout.Detect(files);
        if (layout.FolderType == FolderType.UnknownFolder)
        {
            var shown = string.Join(", ", files.Take(6).Select(f => f.Path)) + (files.Count > 6 ? $" and {files.Count - 6} more" : "");
            throw new DeepRacerLogException(
                $"{source.Description} is not a DeepRacer model folder: found {shown}; expected {ModelLayout.ExpectedLayouts}.");
        }

        return new DeepRacerLog(source, layout);
    }

    /// <summary>Loads the training steps (simtrace CSVs, or the training log with <see cref="TraceKind.Logs"/>).</summary>
    public Task<StepTable> LoadTrainingTraceAsync(IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        LoadAsync(StepTableKind.Training, TraceKind.Simtrace, progress, cancellationToken);

    /// <summary>Loads the evaluation steps from the evaluation simtrace CSVs.</summary>
    public Task<StepTable> LoadEvaluationTraceAsync(IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        LoadAsync(StepTableKind.Evaluation, TraceKind.Simtrace, progress, cancellationToken);

    /// <summary>Loads steps from robomaker/simulation logs; their header goes to <see cref="LogMetadata"/>.</summary>
    public Task<StepTable> LoadLogsAsync(StepTableKind kind, IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        LoadAsync(kind, TraceKind.Logs, progress, cancellationToken);

    /// <summary>Loads training, evaluation or leaderboard steps from simtrace or logs.</summary>
    /// <exception cref="DeepRacerLogException">The source has no files of that kind.</exception>
    public async Task<StepTable> LoadAsync(StepTableKind kind, TraceKind trace = TraceKind.Auto, IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan(kind, trace);
        if (plan.UseLogs)
        {
            var (table, metadata) = await TraceLoader.LoadLogsAsync(Reader, plan.Logs, kind, Layout, progress, cancellationToken).ConfigureAwait(false);
            LogMetadata = metadata;
            if (table.RowCount == 0 && table.Report.BadLineCount == 0)
            {
                // Not an empty result to print: the file is not what the user thinks it is.
                throw new DeepRacerLogException(
                    InputProblem.NoStepsInLog,
                    $"{string.Join(", ", plan.Logs.Select(l => l.File.Path))} has no SIM_TRACE_LOG lines: not a robomaker/simulation log with steps",
                    "a trainer/sagemaker log is read by LoadInfoAsync or TrainerLog.LoadAsync; a job that failed before its first episode has none")
                {
                    Subject = string.Join(", ", plan.Logs.Select(l => l.File.Path)),
                };
            }

            return table;
        }

        var simtrace = await TraceLoader.LoadSimtraceAsync(Source, plan.Traces, kind, progress, cancellationToken).ConfigureAwait(false);
        if (plan.LogsBesideSimtrace.Count == 0)
        {
            return simtrace;
        }

        var (fromLogs, logMetadata) = await TraceLoader.LoadLogsAsync(Reader, plan.LogsBesideSimtrace, kind, Layout, null, cancellationToken).ConfigureAwait(false);
        LogMetadata ??= logMetadata;
        return StepTable.Concat(simtrace, fromLogs);
    }

    /// <summary>
    /// Loads the per-episode table of training, evaluation or leaderboard steps (see <see cref="EpisodeTable"/>) without keeping
    /// the steps: simtrace files are summed into episodes while they are parsed, so memory grows with the number of episodes,
    /// not of steps. Equal, cell for cell, to <c>EpisodeTable.Aggregate(await LoadAsync(kind, trace))</c>; logs, and simtrace
    /// whose rows need reordering, are loaded as steps and aggregated.
    /// </summary>
    /// <exception cref="DeepRacerLogException">The source has no files of that kind.</exception>
    public async Task<EpisodeTable> LoadEpisodesAsync(StepTableKind kind, TraceKind trace = TraceKind.Auto, IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan(kind, trace);
        if (!plan.UseLogs && plan.LogsBesideSimtrace.Count == 0
            && await TraceLoader.AggregateSimtraceAsync(Source, plan.Traces, kind, progress, cancellationToken).ConfigureAwait(false) is { } episodes)
        {
            return episodes;
        }

        return EpisodeTable.Aggregate(await LoadAsync(kind, trace, progress, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Simulator step timing (<see cref="StabilityAnalysis"/>) without keeping the steps: simtrace files are timed while they are
    /// parsed, each (worker, iteration) group's intervals kept only until the group ends, so memory is bounded by the largest group.
    /// Equal, figure for figure, to <c>StabilityAnalysis.Analyze(await LoadAsync(kind, trace))</c>; logs, and simtrace whose rows
    /// need reordering, are loaded as steps and analysed.
    /// </summary>
    /// <exception cref="DeepRacerLogException">The source has no files of that kind.</exception>
    public async Task<StabilityReport> LoadStabilityAsync(StepTableKind kind, TraceKind trace = TraceKind.Auto, IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan(kind, trace);
        if (!plan.UseLogs && plan.LogsBesideSimtrace.Count == 0)
        {
            StabilityAccumulator? stability = null;
            var consumers = new StepConsumers(true, (files, _) =>
            {
                stability = new StabilityAccumulator(kind, [.. files.Select(f => (f.Stream, f.Worker, f.Iteration))]);
                return stability.Open;
            });
            if (await TraceLoader.AggregateSimtraceAsync(Source, plan.Traces, kind, progress, cancellationToken, consumers).ConfigureAwait(false) is { } episodes)
            {
                return stability!.Finish(episodes.Report);
            }
        }

        var steps = await LoadAsync(kind, trace, progress, cancellationToken).ConfigureAwait(false);
        return StabilityAnalysis.Analyze(steps) with { Report = steps.Report };
    }

    /// <summary>Which files a load of <paramref name="kind"/> reads.</summary>
    internal LoadPlan Plan(StepTableKind kind, TraceKind trace)
    {
        var traces = kind switch
        {
            StepTableKind.Training => Layout.TrainingTraces,
            StepTableKind.Evaluation => Layout.EvaluationTraces,
            _ => Layout.LeaderboardTraces,
        };
        var logs = kind switch
        {
            // The reference loads the first training log only; later ones are usually restarts of the same job.
            StepTableKind.Training => FolderType == FolderType.SingleFile ? Layout.TrainingLogs : Layout.TrainingLogs.Take(1).ToList(),
            StepTableKind.Evaluation => Layout.EvaluationLogs,
            _ => Layout.LeaderboardLogs,
        };

        if (FolderType == FolderType.SingleFile)
        {
            // One file is whatever the user asks it to be.
            trace = traces.Count > 0 ? TraceKind.Simtrace : TraceKind.Logs;
        }

        var useLogs = trace == TraceKind.Logs || (trace == TraceKind.Auto && traces.Count == 0);
        var what = kind.ToString().ToLowerInvariant();
        if (useLogs)
        {
            return logs.Count == 0
                ? throw new DeepRacerLogException($"{Source.Description} has no {what} robomaker/simulation logs ({Found()}).")
                : new LoadPlan(true, traces, logs, []);
        }

        if (traces.Count == 0)
        {
            throw new DeepRacerLogException($"{Source.Description} has no {what} simtrace files ({Found()}).");
        }

        // DROA names a job's simtrace folder and its logs by the same job, so a job (an evaluation or a race
        // submission) that left only logs, or only its nested logs archive, is read from them beside the others.
        var withoutSimtrace = trace == TraceKind.Auto && kind != StepTableKind.Training && FolderType == FolderType.DroaSolutionLogs
            ? logs.Where(l => !traces.Any(t => t.Stream == l.Stream)).ToList()
            : [];
        return new LoadPlan(false, traces, logs, withoutSimtrace);
    }

    internal sealed record LoadPlan(bool UseLogs, IReadOnlyList<TraceFile> Traces, IReadOnlyList<LogFile> Logs, IReadOnlyList<LogFile> LogsBesideSimtrace);

    /// <summary>Reads model_metadata.json and hyperparameters.json, or a log's header when they are absent.</summary>
    /// <exception cref="DeepRacerLogException">A metadata file is not valid JSON.</exception>
    public async Task<ModelInfo> LoadInfoAsync(CancellationToken cancellationToken = default)
    {
        var sources = new List<string>();
        Hyperparameters? hyperparameters = null;
        ModelMetadata? metadata = null;
        if (Layout.Hyperparameters is { } hp)
        {
            hyperparameters = Hyperparameters.Parse(await Source.ReadAllBytesAsync(hp, cancellationToken).ConfigureAwait(false), Path.Combine(Source.Description, hp.Path));
            sources.Add(hp.Path);
        }

        if (Layout.ModelMetadata is { } mm)
        {
            metadata = ModelMetadata.Parse(await Source.ReadAllBytesAsync(mm, cancellationToken).ConfigureAwait(false), Path.Combine(Source.Description, mm.Path));
            sources.Add(mm.Path);
        }

        LogMetadata? header = null;
        var log = Layout.TrainingLogs.Concat(Layout.EvaluationLogs).Concat(Layout.LeaderboardLogs).Select(l => l.File)
            .Concat(Layout.TrainerLogs).FirstOrDefault();
        if (log is not null)
        {
            await using var stream = await Reader.OpenReadAsync(log, cancellationToken).ConfigureAwait(false);
            header = TraceLoader.ReadHeader(stream, log.Path);
            sources.Add(log.Path);
        }

        return new ModelInfo
        {
            Hyperparameters = hyperparameters ?? header?.Hyperparameters,
            ActionSpace = metadata?.ActionSpace ?? header?.ActionSpace,
            Agent = metadata?.Agent ?? header?.Agent,
            WorldName = header?.WorldName,
            Job = header?.Job ?? new Dictionary<string, string>(),
            Sources = sources,
        };
    }

    /// <summary>
    /// Chooses the track of these logs (see <see cref="TrackResolver"/>): <paramref name="nameOrFile"/> when given, else the world name of the logs' header,
    /// else a guess from the training steps (evaluation, then leaderboard steps when there are none).
    /// </summary>
    /// <param name="nameOrFile">The user's choice (<c>--track</c>), or null.</param>
    /// <param name="steps">Steps already loaded, to guess from without loading again; null to load them when needed.</param>
    /// <param name="cancellationToken">Cancels the loading.</param>
    /// <exception cref="DeepRacerLogException">No track is known.</exception>
    public async Task<TrackResolution> ResolveTrackAsync(string? nameOrFile = null, StepTable? steps = null, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(nameOrFile))
        {
            return TrackResolver.Resolve(nameOrFile, null, null);
        }

        var info = await LoadInfoAsync(cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrWhiteSpace(info.WorldName) || steps is not null)
        {
            return TrackResolver.Resolve(null, info.WorldName, steps);
        }

        foreach (var kind in new[] { StepTableKind.Training, StepTableKind.Evaluation, StepTableKind.Leaderboard })
        {
            try
            {
                steps = await LoadAsync(kind, TraceKind.Auto, null, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (DeepRacerLogException)
            {
                // This kind of steps is absent; the next kind may still show where the car drove.
            }
        }

        return TrackResolver.Resolve(null, null, steps);
    }

    /// <summary>The source, reading logs inside nested archives (DROA <c>{job}-logs.tar.gz</c>) in place.</summary>
    private ModelSource Reader => _reader ??= new NestedArchiveSource(Source);

    private ModelSource? _reader;

    private string Found()
    {
        var found = Layout.Describe().ToList();
        return found.Count == 0 ? $"found {FolderType}" : "found " + string.Join("; ", found);
    }

    /// <inheritdoc/>
    public void Dispose() => Source.Dispose();
}
