using System.Text.RegularExpressions;

namespace DeepRacer.Analysis.Sources;

/// <summary>A simtrace file of a layout, with what its path says.</summary>
/// <param name="File">The file.</param>
/// <param name="Iteration">The <c>N</c> of <c>N-iteration.csv</c>.</param>
/// <param name="Worker">Worker number (DRfC multi-worker folders), else 0.</param>
/// <param name="Stream">Evaluation stream (run) name, or empty for training.</param>
public sealed record TraceFile(SourceFile File, int Iteration, int Worker, string Stream);

/// <summary>A robomaker/simulation log of a layout.</summary>
/// <param name="File">The file; for a log inside a DROA <c>{job}-logs.tar.gz</c>, <see cref="NestedArchive"/> says how to find it there.</param>
/// <param name="Stream">Stream name from the file name (evaluation and leaderboard logs), or empty.</param>
public sealed record LogFile(SourceFile File, string Stream)
{
    /// <summary>Separates an archive's path from the member suffix in a nested <see cref="SourceFile.Path"/>.</summary>
    public const string NestedSeparator = "!*";

    /// <summary>True when <see cref="File"/> names a member of a nested <c>.tar.gz</c> (<c>archive!*-simulation.log</c>).</summary>
    public bool NestedArchive => File.Path.Contains(NestedSeparator, StringComparison.Ordinal);
}

/// <summary>
/// What a model source holds, by folder type (spec 1.2–1.5): one detection for folders, tarballs and S3 alike.
/// </summary>
/// <remarks>
/// Differences from the reference, all deliberate: worker folders may have any number (10/, 11/ …); every
/// layout is recognised in every source (the reference's tarball reader knows neither multi-worker nor
/// upload folders); a missing training robomaker log is "not available", not a crash; a DRfC tarball loads.
/// </remarks>
public sealed partial record ModelLayout
{
    /// <summary>The detected folder type.</summary>
    public FolderType FolderType { get; init; } = FolderType.UnknownFolder;

    /// <summary>Training simtrace files.</summary>
    public IReadOnlyList<TraceFile> TrainingTraces { get; init; } = [];

    /// <summary>Evaluation simtrace files, one stream per run.</summary>
    public IReadOnlyList<TraceFile> EvaluationTraces { get; init; } = [];

    /// <summary>Training robomaker/simulation logs (the first one is loaded).</summary>
    public IReadOnlyList<LogFile> TrainingLogs { get; init; } = [];

    /// <summary>Evaluation robomaker/simulation logs.</summary>
    public IReadOnlyList<LogFile> EvaluationLogs { get; init; } = [];

    /// <summary>Leaderboard simtrace files (DeepRacer on AWS submissions), one stream per submission.</summary>
    public IReadOnlyList<TraceFile> LeaderboardTraces { get; init; } = [];

    /// <summary>Leaderboard robomaker/simulation logs.</summary>
    public IReadOnlyList<LogFile> LeaderboardLogs { get; init; } = [];

    /// <summary>Trainer (sagemaker) logs.</summary>
    public IReadOnlyList<SourceFile> TrainerLogs { get; init; } = [];

    /// <summary>Metrics JSON files.</summary>
    public IReadOnlyList<SourceFile> MetricsFiles { get; init; } = [];

    /// <summary><c>model/model_metadata.json</c>, when present.</summary>
    public SourceFile? ModelMetadata { get; init; }

    /// <summary><c>ip/hyperparameters.json</c>, when present.</summary>
    public SourceFile? Hyperparameters { get; init; }

    /// <summary>Every file of the source.</summary>
    public IReadOnlyList<SourceFile> Files { get; init; } = [];

    /// <summary>Worker numbers found (multi-worker folders).</summary>
    public IReadOnlyList<int> Workers => [.. TrainingTraces.Select(t => t.Worker).Distinct().Order()];

    /// <summary>Detects the layout of a list of files (paths relative to the model root).</summary>
    public static ModelLayout Detect(IReadOnlyList<SourceFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var layout = DetectAt(files);
        if (layout.FolderType == FolderType.UnknownFolder && files.Count > 0)
        {
            // An unpacked export keeps its wrapper folder: look one level down when everything is inside one folder.
            var firsts = files.Select(f => f.Path.Split('/')[0]).Distinct().ToList();
            if (firsts.Count == 1 && files.All(f => f.Path.Contains('/')))
            {
                var prefix = firsts[0] + "/";
                var inner = DetectAt([.. files.Select(f => f with { Path = f.Path[prefix.Length..] })]);
                if (inner.FolderType != FolderType.UnknownFolder)
                {
                    return Rebase(inner, prefix, files);
                }
            }
        }

        return layout;
    }

    /// <summary>A layout for a single <c>.csv</c> or <c>.log</c> file.</summary>
    public static ModelLayout ForSingleFile(SourceFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var name = file.Path;
        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            var iteration = IterationOf().Match(name) is { Success: true } m ? Int(m.Groups[1]) : 0;
            var trace = new TraceFile(file, iteration, 0, "");
            return new ModelLayout
            {
                FolderType = FolderType.SingleFile,
                Files = [file],
                TrainingTraces = [trace],
                EvaluationTraces = [trace with { Stream = Path.GetFileNameWithoutExtension(name) }],
            };
        }

        var stream = Regex.Replace(name, @"(-robomaker|-simulation)?\.log(\.\d+)?$", "");
        var log = new LogFile(file, stream);
        return new ModelLayout
        {
            FolderType = FolderType.SingleFile,
            Files = [file],
            TrainingLogs = [log],
            EvaluationLogs = [log],
            LeaderboardLogs = [log],
        };
    }

    private static ModelLayout DetectAt(IReadOnlyList<SourceFile> files)
    {
        var type = FolderType.UnknownFolder;
        if (files.Any(f => f.Path.StartsWith("sim-trace/", StringComparison.Ordinal)))
        {
            type = files.Any(f => f.Path.StartsWith("sim-trace/training/training-simtrace/", StringComparison.Ordinal))
                ? FolderType.ConsoleModelWithLogs
                : FolderType.DroaSolutionLogs;
        }
        else if (files.Any(f => DroaJobFile().IsMatch(f.Path)))
        {
            // A DROA job archive or prefix with logs and metrics but no simtrace folder.
            type = FolderType.DroaSolutionLogs;
        }
        else if (files.Any(f => f.Path.StartsWith("training-simtrace/", StringComparison.Ordinal)))
        {
            type = FolderType.DrfcModelSingleWorkers;
        }
        else if (files.Any(f => WorkerTrace().IsMatch(f.Path)))
        {
            type = FolderType.DrfcModelMultipleWorkers;
        }
        else if (files.Any(f => f.Path.StartsWith("model/", StringComparison.Ordinal) || DrfcEvaluationTrace().IsMatch(f.Path)))
        {
            type = FolderType.DrfcModelUpload;
        }

        var training = new List<TraceFile>();
        var evaluation = new List<TraceFile>();
        var trainingLogs = new List<LogFile>();
        var evaluationLogs = new List<LogFile>();
        var leaderboardLogs = new List<LogFile>();
        var leaderboardTraces = new List<TraceFile>();
        var nested = new List<(string Type, string Job, SourceFile File)>();
        var trainerLogs = new List<SourceFile>();
        var metrics = new List<SourceFile>();
        SourceFile? modelMetadata = null;
        SourceFile? hyperparameters = null;
        foreach (var f in files)
        {
            var p = f.Path;
            Match m;
            switch (type)
            {
                case FolderType.ConsoleModelWithLogs:
                    if ((m = ConsoleTrainingTrace().Match(p)).Success)
                    {
                        training.Add(new TraceFile(f, Int(m.Groups[1]), 0, ""));
                    }
                    else if ((m = ConsoleEvaluationTrace().Match(p)).Success)
                    {
                        evaluation.Add(new TraceFile(f, Int(m.Groups[2]), 0, m.Groups[1].Value));
                    }
                    else if (ConsoleTrainingLog().IsMatch(p))
                    {
                        trainingLogs.Add(new LogFile(f, ""));
                    }
                    else if ((m = ConsoleEvaluationLog().Match(p)).Success)
                    {
                        evaluationLogs.Add(new LogFile(f, m.Groups[1].Value));
                    }
                    else if ((m = ConsoleLeaderboardLog().Match(p)).Success)
                    {
                        leaderboardLogs.Add(new LogFile(f, m.Groups[1].Value));
                    }
                    else if (ConsoleTrainerLog().IsMatch(p))
                    {
                        trainerLogs.Add(f);
                    }

                    break;
                case FolderType.DroaSolutionLogs:
                    // Every artifact path carries its own time stamp (each is made with its own new Date()), so a job's
                    // simtrace, log and metrics differ there: streams are the job name, never the time stamp.
                    if ((m = DroaTrainingTrace().Match(p)).Success)
                    {
                        training.Add(new TraceFile(f, Int(m.Groups[1]), 0, ""));
                    }
                    else if ((m = DroaEvaluationTrace().Match(p)).Success)
                    {
                        (m.Groups[1].Value == "submission" ? leaderboardTraces : evaluation).Add(new TraceFile(f, Int(m.Groups[3]), 0, DroaJob(m.Groups[2].Value)));
                    }
                    else if (DroaTrainingLog().IsMatch(p))
                    {
                        trainingLogs.Add(new LogFile(f, ""));
                    }
                    else if ((m = DroaEvaluationLog().Match(p)).Success)
                    {
                        (m.Groups[1].Value == "evaluation" ? evaluationLogs : leaderboardLogs).Add(new LogFile(f, DroaJob(m.Groups[2].Value)));
                    }
                    else if (DroaTrainerLog().IsMatch(p))
                    {
                        trainerLogs.Add(f);
                    }
                    else if ((m = DroaLogsArchive().Match(p)).Success)
                    {
                        nested.Add((m.Groups[1].Value, m.Groups[2].Value, f));
                    }

                    break;
                case FolderType.DrfcModelSingleWorkers or FolderType.DrfcModelMultipleWorkers or FolderType.DrfcModelUpload:
                    if (type == FolderType.DrfcModelSingleWorkers && (m = DrfcTrainingTrace().Match(p)).Success)
                    {
                        training.Add(new TraceFile(f, Int(m.Groups[1]), 0, ""));
                    }
                    else if (type == FolderType.DrfcModelMultipleWorkers && (m = WorkerTrace().Match(p)).Success)
                    {
                        training.Add(new TraceFile(f, Int(m.Groups[2]), Worker(m.Groups[1]), ""));
                    }
                    else if ((m = DrfcEvaluationTrace().Match(p)).Success)
                    {
                        evaluation.Add(new TraceFile(f, Int(m.Groups[2]), 0, m.Groups[1].Value));
                    }

                    break;
                default:
                    break;
            }

            if (p.StartsWith("metrics/", StringComparison.Ordinal) && p.EndsWith(".json", StringComparison.Ordinal))
            {
                metrics.Add(f);
            }
            else if (p == "model/model_metadata.json")
            {
                modelMetadata = f;
            }
            else if (p == "ip/hyperparameters.json")
            {
                hyperparameters = f;
            }
        }

        // A job whose plain log is missing is read from its {job}-logs.tar.gz (DROA's log download), in place.
        foreach (var (kind, job, archive) in nested)
        {
            var target = kind switch { "training" => trainingLogs, "evaluation" => evaluationLogs, _ => leaderboardLogs };
            var stream = kind == "training" ? "" : job;
            if (kind == "training" ? target.Count == 0 : target.All(l => l.Stream != job))
            {
                target.Add(new LogFile(archive with { Path = archive.Path + LogFile.NestedSeparator + "-simulation.log" }, stream));
            }
        }

        return new ModelLayout
        {
            FolderType = type,
            Files = files,
            LeaderboardTraces = leaderboardTraces,
            TrainingTraces = training,
            EvaluationTraces = evaluation,
            TrainingLogs = trainingLogs,
            EvaluationLogs = evaluationLogs,
            LeaderboardLogs = leaderboardLogs,
            TrainerLogs = trainerLogs,
            MetricsFiles = metrics,
            ModelMetadata = modelMetadata,
            Hyperparameters = hyperparameters,
        };
    }

    private static ModelLayout Rebase(ModelLayout inner, string prefix, IReadOnlyList<SourceFile> original)
    {
        SourceFile Back(SourceFile f) => f with { Path = prefix + f.Path };
        return inner with
        {
            Files = original,
            TrainingTraces = [.. inner.TrainingTraces.Select(t => t with { File = Back(t.File) })],
            EvaluationTraces = [.. inner.EvaluationTraces.Select(t => t with { File = Back(t.File) })],
            TrainingLogs = [.. inner.TrainingLogs.Select(l => l with { File = Back(l.File) })],
            EvaluationLogs = [.. inner.EvaluationLogs.Select(l => l with { File = Back(l.File) })],
            LeaderboardLogs = [.. inner.LeaderboardLogs.Select(l => l with { File = Back(l.File) })],
            LeaderboardTraces = [.. inner.LeaderboardTraces.Select(t => t with { File = Back(t.File) })],
            TrainerLogs = [.. inner.TrainerLogs.Select(Back)],
            MetricsFiles = [.. inner.MetricsFiles.Select(Back)],
            ModelMetadata = inner.ModelMetadata is { } mm ? Back(mm) : null,
            Hyperparameters = inner.Hyperparameters is { } hp ? Back(hp) : null,
        };
    }

    /// <summary>One line per kind of file found, for <c>drlog info</c> and error messages.</summary>
    public IEnumerable<string> Describe()
    {
        if (TrainingTraces.Count > 0)
        {
            var workers = Workers;
            yield return $"training simtrace: {TrainingTraces.Count} files, iterations {TrainingTraces.Min(t => t.Iteration)}-{TrainingTraces.Max(t => t.Iteration)}"
                + (workers.Count > 1 ? $", workers {string.Join(",", workers)}" : "");
        }

        if (EvaluationTraces.Count > 0)
        {
            yield return $"evaluation simtrace: {EvaluationTraces.Select(t => t.Stream).Distinct().Count()} runs";
        }

        if (TrainingLogs.Count > 0)
        {
            yield return $"training logs: {TrainingLogs.Count}";
        }

        if (EvaluationLogs.Count > 0)
        {
            yield return $"evaluation logs: {EvaluationLogs.Count}";
        }

        if (LeaderboardTraces.Count > 0)
        {
            yield return $"leaderboard simtrace: {LeaderboardTraces.Select(t => t.Stream).Distinct().Count()} submissions";
        }

        if (LeaderboardLogs.Count > 0)
        {
            yield return $"leaderboard logs: {LeaderboardLogs.Count}";
        }

        if (TrainerLogs.Count > 0)
        {
            yield return $"trainer (sagemaker) logs: {TrainerLogs.Count}";
        }

        if (MetricsFiles.Count > 0)
        {
            yield return $"metrics files: {MetricsFiles.Count}";
        }

        if (ModelMetadata is not null)
        {
            yield return "model/model_metadata.json";
        }

        if (Hyperparameters is not null)
        {
            yield return "ip/hyperparameters.json";
        }
    }

    /// <summary>What each folder type needs, for the "unrecognised folder" message.</summary>
    public const string ExpectedLayouts =
        "sim-trace/ (console or DeepRacer-on-AWS export), training-simtrace/ (DRfC, one worker), 0/training-simtrace/ (DRfC, several workers), " +
        "model/ or evaluation-YYYYMMDDhhmmss/ (DRfC model upload)";

    private static int Int(Group g) => int.TryParse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
        ? value
        : throw new DeepRacerLogException($"'{g.Value}' in a file name is too large for an iteration or worker number; rename or remove that file.");

    /// <summary>Largest worker folder number (DRfC starts up to a dozen workers; tables are sized by the largest).</summary>
    public const int MaxWorker = 999;

    private static int Worker(Group g) => Int(g) is var worker and <= MaxWorker
        ? worker
        : throw new DeepRacerLogException($"Worker folder {g.Value}/ is out of range (0 to {MaxWorker}); rename or remove that folder.");

    [GeneratedRegex(@"(\d+)-iteration\.csv$")]
    private static partial Regex IterationOf();

    [GeneratedRegex(@"^sim-trace/training/training-simtrace/(\d+)-iteration\.csv$")]
    private static partial Regex ConsoleTrainingTrace();

    [GeneratedRegex(@"^sim-trace/evaluation/([0-9]{14})-[^/]*/evaluation-simtrace/(\d+)-iteration\.csv$")]
    private static partial Regex ConsoleEvaluationTrace();

    [GeneratedRegex(@"^logs/training/[^/]*-robomaker\.log$")]
    private static partial Regex ConsoleTrainingLog();

    [GeneratedRegex(@"^logs/evaluation/evaluation-([0-9]{14})-[^/]*-robomaker\.log$")]
    private static partial Regex ConsoleEvaluationLog();

    [GeneratedRegex(@"^logs/leaderboard/leaderboard-([0-9]{14})-[^/]*-robomaker\.log$")]
    private static partial Regex ConsoleLeaderboardLog();

    [GeneratedRegex(@"^logs/training/[^/]*-sagemaker\.log$")]
    private static partial Regex ConsoleTrainerLog();

    [GeneratedRegex(@"^sim-trace/training/[^/]+/training-simtrace/(\d+)-iteration\.csv$")]
    private static partial Regex DroaTrainingTrace();

    [GeneratedRegex(@"^sim-trace/(evaluation|submission)/([^/]+)/[a-z]+-simtrace/(\d+)-iteration\.csv$")]
    private static partial Regex DroaEvaluationTrace();

    [GeneratedRegex(@"^logs/(training|evaluation|submission)/([^/]+)-logs\.tar\.gz$")]
    private static partial Regex DroaLogsArchive();

    [GeneratedRegex(@"^(logs|metrics|sim-trace)/(training|evaluation|submission)/[^/]*deepracerindy-")]
    private static partial Regex DroaJobFile();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z-")]
    private static partial Regex IsoPrefix();

    /// <summary>The job name of a DROA artifact name: <c>{iso}-{job}</c> without its time stamp.</summary>
    public static string DroaJob(string name) => IsoPrefix().Replace(name, "");

    [GeneratedRegex(@"^logs/training/[^/]+-simulation\.log$")]
    private static partial Regex DroaTrainingLog();

    [GeneratedRegex(@"^logs/(evaluation|submission|leaderboard)/([^/]+)-simulation\.log$")]
    private static partial Regex DroaEvaluationLog();

    [GeneratedRegex(@"^logs/training/[^/]+-training\.log$")]
    private static partial Regex DroaTrainerLog();

    [GeneratedRegex(@"^training-simtrace/(\d+)-iteration\.csv$")]
    private static partial Regex DrfcTrainingTrace();

    [GeneratedRegex(@"^(\d+)/training-simtrace/(\d+)-iteration\.csv$")]
    private static partial Regex WorkerTrace();

    [GeneratedRegex(@"^evaluation-([0-9]{14})/evaluation-simtrace/(\d+)-iteration\.csv$")]
    private static partial Regex DrfcEvaluationTrace();
}
