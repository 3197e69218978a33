namespace DeepRacer.Analysis.Catalog;

/// <summary>
/// The log catalog under a root folder: downloaded CloudWatch logs and imported local logs, with one CSV database each
/// (<c>db/cloudwatch_logs.csv</c>, <c>db/local_training_logs.csv</c>).
/// </summary>
public sealed partial class LogCatalog
{
    /// <summary>Database name of CloudWatch logs.</summary>
    public const string CloudWatchDatabase = "cloudwatch";

    /// <summary>Database name of imported local logs.</summary>
    public const string LocalDatabase = "local_training";

    private LogCatalog(string root)
    {
        Root = Path.GetFullPath(root);
        CloudWatch = new CatalogDatabase(Path.Combine(Root, "db", "cloudwatch_logs.csv"));
        Local = new CatalogDatabase(Path.Combine(Root, "db", "local_training_logs.csv"));
    }

    /// <summary>The catalog root.</summary>
    public string Root { get; }

    /// <summary>The database of CloudWatch logs.</summary>
    public CatalogDatabase CloudWatch { get; }

    /// <summary>The database of imported local logs.</summary>
    public CatalogDatabase Local { get; }

    /// <summary>Opens a catalog root; folders are created on the first write.</summary>
    public static LogCatalog Open(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        return new LogCatalog(root);
    }

    /// <summary>The log group name of a <see cref="CloudWatchGroup"/>.</summary>
    public static string GroupName(CloudWatchGroup group) => group switch
    {
        CloudWatchGroup.Robomaker => "/aws/robomaker/SimulationJobs",
        CloudWatchGroup.Sagemaker => "/aws/sagemaker/TrainingJobs",
        CloudWatchGroup.Leaderboard => "/aws/deepracer/leaderboard/SimulationJobs",
        CloudWatchGroup.DroaTraining => "/aws/deepracer/training/TrainingJobs",
        CloudWatchGroup.DroaSimulation => "/aws/deepracer/training/SimulationJobs",
        _ => "/deepracer-for-cloud",
    };

    /// <summary>The groups of one DeepRacer (DeepRacer on AWS shares <c>/aws/sagemaker/TrainingJobs</c> with the console).</summary>
    public static IReadOnlyList<CloudWatchGroup> GroupsOf(LogOrigin origin) => origin switch
    {
        LogOrigin.Console => [CloudWatchGroup.Robomaker, CloudWatchGroup.Sagemaker, CloudWatchGroup.Leaderboard],
        LogOrigin.Droa => [CloudWatchGroup.DroaTraining, CloudWatchGroup.DroaSimulation, CloudWatchGroup.Sagemaker],
        LogOrigin.Drfc => [CloudWatchGroup.Drfc],
        _ => Enum.GetValues<CloudWatchGroup>(),
    };

    /// <summary>
    /// The log type a DeepRacer on AWS job name gives (<c>deepracerindy-{training|evaluation|submission}-{id}</c>, live races add
    /// <c>-live-…</c>): submissions are leaderboard runs; a training job's side comes from its group. Null for other names.
    /// </summary>
    public static string? DroaJobType(string jobName, CloudWatchGroup? group = null)
    {
        ArgumentNullException.ThrowIfNull(jobName);
        var parts = jobName.Split('-');
        if (parts.Length < 3 || parts[0] != "deepracerindy")
        {
            return null;
        }

        return parts[1] switch
        {
            "evaluation" => CatalogLogType.Evaluation,
            "submission" => CatalogLogType.Leaderboard,
            "training" => group switch
            {
                CloudWatchGroup.DroaTraining => CatalogLogType.TrainingJob,
                CloudWatchGroup.DroaSimulation => CatalogLogType.SimulationJob,
                _ => null,
            },
            _ => null,
        };
    }

    /// <summary>The folder a database's log files live in.</summary>
    public string FolderOf(string database) => Path.Combine(Root, database);

    private CatalogDatabase DatabaseOf(string database) => database == CloudWatchDatabase ? CloudWatch : Local;

    /// <summary>All rows of both databases, newest first (as each database file lists them).</summary>
    public IReadOnlyList<CatalogEntry> List()
    {
        var entries = CloudWatch.Read().Rows.Select(r => new CatalogEntry(r, CloudWatchDatabase, Path.Combine(FolderOf(CloudWatchDatabase), r.FileName)))
            .Concat(Local.Read().Rows.Select(r => new CatalogEntry(r, LocalDatabase, Path.Combine(FolderOf(LocalDatabase), r.FileName))));
        return [.. CatalogDatabase.NewestFirst(entries, e => e.Row)];
    }

    /// <summary>Rows of both databases that could not be read.</summary>
    public IReadOnlyList<(string Database, MalformedCatalogRow Row)> Malformed() =>
        [.. CloudWatch.Read().Malformed.Select(m => (CloudWatch.Path, m)), .. Local.Read().Malformed.Select(m => (Local.Path, m))];

    /// <summary>Finds a log by id (<c>sim-1j6vm0shdd15</c>) or key (<c>evaluation-sim-1j6vm0shdd15</c>); null when absent.</summary>
    /// <exception cref="DeepRacerLogException">The id names several logs.</exception>
    public CatalogEntry? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var all = List();
        var byKey = all.Where(e => e.Row.Key == id).ToList();
        var found = byKey.Count > 0 ? byKey : all.Where(e => e.Row.Id == id).ToList();
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new DeepRacerLogException(
                $"Catalog id {id} names {found.Count} logs ({string.Join(", ", found.Select(f => $"{f.Database}/{f.Row.Key}"))}); give the full key, e.g. {found[0].Row.Key}."),
        };
    }


    /// <summary>Builds a catalog row from what a log says about itself.</summary>
    internal static CatalogRow BuildRow(string id, string type, LogFacts facts, long events, long bytes, string? sha, DateTimeOffset? first, DateTimeOffset? last)
    {
        // Evaluation and leaderboard logs print the simulation app's default hyperparameters, not the model's
        // (the sample evaluations say discount_factor 0.999 for a model trained with 0.95): theirs come from the training.
        var hp = type is CatalogLogType.Evaluation or CatalogLogType.Leaderboard ? null : facts.Metadata.Hyperparameters;
        var actions = facts.Metadata.ActionSpace;
        double? maxSteer = null, maxSpeed = null;
        int? steerSteps = null, speedSteps = null;
        if (actions is { IsContinuous: true })
        {
            maxSteer = Math.Max(Math.Abs(actions.SteeringAngle.Low), Math.Abs(actions.SteeringAngle.High));
            maxSpeed = actions.Speed.High;
        }
        else if (actions is { Actions.Count: > 0 })
        {
            // Angles carry float noise (-10.000000000000004); round before counting distinct values.
            maxSteer = Math.Round(actions.Actions.Max(a => Math.Abs(a.SteeringAngle)), 6);
            maxSpeed = Math.Round(actions.Actions.Max(a => a.Speed), 6);
            steerSteps = actions.Actions.Select(a => Math.Round(a.SteeringAngle, 6)).Distinct().Count();
            speedSteps = actions.Actions.Select(a => Math.Round(a.Speed, 6)).Distinct().Count();
        }

        var reason = facts.InvalidReason;
        var world = facts.Metadata.WorldName;
        return new CatalogRow
        {
            Id = id,
            ModelName = facts.ModelName,
            LogType = type,
            WorldName = world,
            Cloned = facts.Cloned,
            FetchedAt = DateTimeOffset.UtcNow,
            FirstEventTimestamp = first,
            LastEventTimestamp = last,
            MaxSteeringAngle = maxSteer,
            SteeringAngleGranularity = steerSteps,
            MaxSpeed = maxSpeed,
            SpeedGranularity = speedSteps,
            BatchSize = hp?.BatchSize,
            BetaEntropy = hp?.BetaEntropy,
            DiscountFactor = hp?.DiscountFactor,
            LossType = hp?.LossType,
            LearningRate = hp?.LearningRate,
            NumEpochs = hp?.NumEpochs,
            NumEpisodesBetweenTraining = hp?.NumEpisodesBetweenTraining,
            NTrials = facts.NTrials,
            TrainingJobDuration = first is { } f && last is { } l ? Math.Round((l - f).TotalSeconds, 3) : null,
            S3Bucket = facts.S3Bucket,
            S3Prefix = facts.S3Prefix,
            Status = reason is null ? CatalogStatus.Ok : CatalogStatus.Invalid,
            StatusReason = reason,
            Events = events,
            Bytes = bytes,
            Sha256 = sha,
            Track = CatalogTracks.Resolve(world),
        };
    }

    /// <summary>Saves a row; rows of the same job with one of <paramref name="sameLogTypes"/> are replaced, with their files.</summary>
    private void Commit(string database, CatalogRow row, IReadOnlyList<string>? sameLogTypes = null)
    {
        // A CloudWatch log typed by a guess before its job description arrived is replaced once the type is known from the log
        // itself, and its files go with it; a job's other logs (types outside the set) are never touched.
        var replace = sameLogTypes ?? [];
        DatabaseOf(database).Update(rows =>
        {
            rows.RemoveAll(r => r.Key == row.Key || (r.Id == row.Id && replace.Contains(r.LogType)));
            rows.Add(row);
            ResolveModels(rows);
        });
        foreach (var type in replace.Where(t => t != row.LogType))
        {
            var stale = Path.Combine(FolderOf(database), $"{type}-{row.Id}.log");
            File.Delete(stale);
            File.Delete(stale + ".partial");
        }
    }

    /// <summary>
    /// Fills model names (and missing world, track and cloned values, and the hyperparameters of evaluations and leaderboard
    /// runs) across rows of the same model, found by S3 bucket and prefix: the training's simulation-job names every log of
    /// its model; failing that, an empty name takes any name the model's other logs give. Runs on every commit, so rows that had no match get one when a later fetch brings it.
    /// </summary>
    internal static void ResolveModels(List<CatalogRow> rows)
    {
        foreach (var model in rows.Select((r, i) => (r, i)).Where(x => x.r.S3Prefix is not null).GroupBy(x => (x.r.S3Bucket ?? "", x.r.S3Prefix!)).ToList())
        {
            var members = model.OrderByDescending(x => x.r.LastEventTimestamp ?? DateTimeOffset.MinValue).ToList();
            var training = members.Where(x => x.r.LogType == CatalogLogType.SimulationJob && x.r.ModelName is not null).Select(x => x.r).FirstOrDefault();
            var anyName = members.Select(x => x.r.ModelName).FirstOrDefault(n => n is not null);
            var world = members.Where(x => x.r.LogType == CatalogLogType.SimulationJob).Select(x => x.r.WorldName).FirstOrDefault(w => w is not null);
            var trainer = members.Select(x => x.r).Where(r => r.BatchSize is not null || r.LossType is not null)
                .OrderBy(r => r.LogType == CatalogLogType.TrainingJob ? 0 : r.LogType == CatalogLogType.SimulationJob ? 1 : 2)
                .FirstOrDefault(r => r.LogType is CatalogLogType.TrainingJob or CatalogLogType.SimulationJob);
            var cloned = members.Where(x => x.r.LogType == CatalogLogType.TrainingJob).Select(x => x.r.Cloned).FirstOrDefault(c => c is not null);
            foreach (var (row, i) in members)
            {
                var name = row.LogType == CatalogLogType.SimulationJob ? row.ModelName ?? anyName : training?.ModelName ?? row.ModelName ?? anyName;
                var w = row.WorldName ?? (row.LogType == CatalogLogType.TrainingJob ? world : null);
                var updated = row with { ModelName = name, WorldName = w, Track = CatalogTracks.Resolve(w) ?? row.Track, Cloned = row.Cloned ?? cloned };
                if (row.LogType is CatalogLogType.Evaluation or CatalogLogType.Leaderboard && trainer is not null)
                {
                    updated = updated with
                    {
                        BatchSize = trainer.BatchSize,
                        BetaEntropy = trainer.BetaEntropy,
                        DiscountFactor = trainer.DiscountFactor,
                        LossType = trainer.LossType,
                        LearningRate = trainer.LearningRate,
                        NumEpochs = trainer.NumEpochs,
                        NumEpisodesBetweenTraining = trainer.NumEpisodesBetweenTraining,
                    };
                }

                rows[i] = updated;
            }
        }
    }
}
