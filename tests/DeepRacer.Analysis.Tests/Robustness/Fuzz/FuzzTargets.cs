using System.Diagnostics;
using System.Text;
using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Metrics;
using DeepRacer.Analysis.Reports;
using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Tests.Robustness.Fuzz;

/// <summary>How a fuzz case ended.</summary>
public enum FuzzOutcome
{
    /// <summary>Everything loaded and was analysed (bad lines counted, not fatal).</summary>
    Loaded,
    /// <summary>A <see cref="DeepRacerLogException"/>: the one-line error the user sees.</summary>
    Rejected,
}

/// <summary>
/// Feeds a fuzz case through what drlog does with that kind of input (write it where a model keeps it, open, load,
/// aggregate, build the report's analyses) and says whether it loaded or was rejected with the library's own error.
/// Any other exception escapes: that is a crash.
/// </summary>
public static class FuzzTargets
{
    /// <summary>Most time one case may take before it counts as a hang.</summary>
    public static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(20);

    /// <summary>Most bytes one case may allocate (the samples the seeds come from load in a few MB).</summary>
    public const long AllocationBound = 1L << 30;

    /// <summary>Writes a case where drlog expects that kind of input; returns the location to open (file or folder).</summary>
    public static string Write(FuzzCase c, string dir)
    {
        var bytes = FuzzInputs.Bytes(c);
        switch (c.Kind)
        {
            case FuzzKind.SimtraceCsv:
                return WriteFile(dir, "training-simtrace/0-iteration.csv", bytes, folder: true);
            case FuzzKind.RobomakerLog:
                return WriteFile(dir, "evaluation-20220612082853-fuzz-robomaker.log", bytes);
            case FuzzKind.SimulationLog:
                return WriteFile(dir, "2026-03-06T20:36:57.936Z-fuzz-simulation.log", bytes);
            case FuzzKind.TrainerLog:
                return WriteFile(dir, "training-fuzz-sagemaker.log", bytes);
            case FuzzKind.MetricsJson:
                return WriteFile(dir, "metrics/TrainingMetrics.json", bytes);
            case FuzzKind.ModelMetadata or FuzzKind.Hyperparameters:
                WriteFile(dir, "training-simtrace/0-iteration.csv", FuzzInputs.Seeds(FuzzKind.SimtraceCsv)[0]);
                WriteFile(dir, "model/model_metadata.json", c.Kind == FuzzKind.ModelMetadata ? bytes : FuzzInputs.Seeds(FuzzKind.ModelMetadata)[0]);
                WriteFile(dir, "ip/hyperparameters.json", c.Kind == FuzzKind.Hyperparameters ? bytes : FuzzInputs.Seeds(FuzzKind.Hyperparameters)[0]);
                return dir;
            case FuzzKind.TarGz:
                return WriteFile(dir, "export.tar.gz", bytes);
            case FuzzKind.Npy:
                return WriteFile(dir, "fuzz_track.npy", bytes);
            case FuzzKind.FolderLayout or FuzzKind.S3Listing:
                CreateLayout(dir, bytes);
                return dir;
            default:
                throw new ArgumentOutOfRangeException(nameof(c));
        }
    }

    /// <summary>Runs one case in a fresh folder, bounded in time and allocation; throws on a crash, a hang or an allocation over the bound.</summary>
    public static FuzzOutcome Run(FuzzCase c)
    {
        var dir = Directory.CreateTempSubdirectory("drlog-fuzz-").FullName;
        try
        {
            var allocated = GC.GetTotalAllocatedBytes();
            var clock = Stopwatch.StartNew();
            var task = Task.Run(() => RunAsync(c, dir));
            if (!task.Wait(TimeBound))
            {
                throw new TimeoutException($"hang: {c} ran over {TimeBound.TotalSeconds} s");
            }

            var outcome = task.GetAwaiter().GetResult();
            var bytes = GC.GetTotalAllocatedBytes() - allocated;
            if (bytes > AllocationBound)
            {
                throw new InvalidOperationException($"allocation: {c} allocated {bytes / (1 << 20)} MB in {clock.ElapsedMilliseconds} ms");
            }

            return outcome;
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<FuzzOutcome> RunAsync(FuzzCase c, string dir)
    {
        if (c.Kind == FuzzKind.S3Listing)
        {
            // The keys and sizes an S3 listing returns go straight to layout detection.
            return Step(() => Listing(FuzzInputs.Bytes(c)));
        }

        if (c.Kind == FuzzKind.Npy)
        {
            return Step(() => TrackAnalyses(NpyReader.Read(FuzzInputs.Bytes(c), "fuzz_track.npy")));
        }

        var location = Write(c, dir);
        return c.Kind switch
        {
            FuzzKind.TrainerLog => await StepAsync(() => TrainerLog.LoadAsync(location)).ConfigureAwait(false),
            FuzzKind.MetricsJson => await StepAsync(async () =>
            {
                var metrics = await TrainingMetrics.LoadAsync(location).ConfigureAwait(false);
                _ = TrainingMetrics.SummaryTable(metrics.GetSummary());
                _ = metrics.ToTable();
                _ = metrics.BestLapsTable(3);
                _ = metrics.BestLapProgression();
            }).ConfigureAwait(false),
            // The report's analyses (track guess, every chart) cost ten times the load: one case in eight runs them.
            _ => await ModelAsync(location, c.Kind, deep: c.Mutations is [] || c.Mutations[0].Value % 8 == 0).ConfigureAwait(false),
        };
    }

    // Open, read the metadata, load every kind of steps the source has and build the report's analyses on them.
    private static async Task<FuzzOutcome> ModelAsync(string location, FuzzKind kind, bool deep)
    {
        DeepRacerLog log;
        try
        {
            log = await DeepRacerLog.OpenAsync(location).ConfigureAwait(false);
        }
        catch (DeepRacerLogException)
        {
            return FuzzOutcome.Rejected;
        }

        using (log)
        {
            var outcome = await StepAsync(() => log.LoadInfoAsync()).ConfigureAwait(false);
            StepTableKind[] kinds = kind is FuzzKind.RobomakerLog or FuzzKind.SimulationLog
                ? [StepTableKind.Training, StepTableKind.Evaluation]
                : [StepTableKind.Training];
            foreach (var k in kinds)
            {
                outcome = Worst(outcome, await StepAsync(async () =>
                {
                    var steps = await log.LoadAsync(k).ConfigureAwait(false);
                    var episodes = EpisodeTable.Aggregate(steps);
                    _ = StabilityAnalysis.Analyze(steps);
                    _ = await log.LoadStabilityAsync(k).ConfigureAwait(false);
                    if (deep)
                    {
                        var info = await log.LoadInfoAsync().ConfigureAwait(false);
                        var (track, error) = await ModelReport.ResolveTrackAsync(log, null, steps).ConfigureAwait(false);
                        _ = ModelReport.Build(log, info, steps, track, error);
                        if (k == StepTableKind.Training)
                        {
                            // The streamed report reads the damaged files again, two or three times.
                            _ = await ModelReport.BuildStreamedAsync(log, info).ConfigureAwait(false);
                        }
                    }
                    else if (steps.Kind == StepTableKind.Training)
                    {
                        _ = TrainingProgress.Analyze(episodes);
                    }
                }).ConfigureAwait(false));
            }

            if (kind == FuzzKind.FolderLayout)
            {
                outcome = Worst(outcome, await StepAsync(() => TrainingMetrics.LoadAsync(location)).ConfigureAwait(false));
            }

            return outcome;
        }
    }

    private static void TrackAnalyses(NpyArray array)
    {
        var track = Track.FromArray("fuzz_track", array);
        var steps = Samples.Training("sample-drfc-1-logs").GetAwaiter().GetResult();
        var rows = new EpisodeRows(steps).OfIterations([0]);
        _ = Heatmap.Analyze(steps, rows, track);
        _ = ActionBreakdown.Analyze(steps, track, rows: rows);
        _ = RewardPerWaypoint.Analyze(steps, rows, track);
        _ = TrackLaps.ForIterations(steps, track, [0]);
        _ = track.Reversed("fuzz_track_cw").RoadPolygon();
    }

    private static void Listing(byte[] bytes)
    {
        var files = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var tab = line.LastIndexOf('\t');
            var size = tab >= 0 && long.TryParse(line[(tab + 1)..], out var s) ? s : -1;
            return new SourceFile(tab >= 0 ? line[..tab] : line, size);
        }).ToList();
        var layout = ModelLayout.Detect(files);
        _ = layout.Describe().ToList();
        _ = layout.Workers;
    }

    // Creates the listed files (up to 60, with content of their kind) inside the folder; "@" makes a link to the folder.
    private static void CreateLayout(string dir, byte[] listing)
    {
        var lines = Encoding.UTF8.GetString(listing).Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(60);
        foreach (var line in lines)
        {
            var path = line.Split('\t')[0];
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => p is not ("." or "..") && p.IndexOfAny(['\0', '\\']) < 0)
                .Select(p => p.Length > 100 ? p[..100] : p)
                .ToArray();
            if (parts.Length == 0)
            {
                continue;
            }

            var full = Path.Combine([dir, .. parts]);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                if (full.EndsWith('@'))
                {
                    Directory.CreateSymbolicLink(full[..^1], dir);
                }
                else if (!Directory.Exists(full))
                {
                    File.WriteAllBytes(full, ContentFor(full));
                }
            }
            catch (IOException)
            {
                // A name the layout cannot hold (a file where a folder is needed): the listing had it twice.
            }
        }
    }

    private static byte[] ContentFor(string path)
    {
        var name = path.Replace('\\', '/');
        return name switch
        {
            _ when name.EndsWith(".csv", StringComparison.Ordinal) => FuzzInputs.Seeds(FuzzKind.SimtraceCsv)[0],
            _ when name.EndsWith("sagemaker.log", StringComparison.Ordinal) => FuzzInputs.Seeds(FuzzKind.TrainerLog)[0],
            _ when name.Contains("-simulation.log", StringComparison.Ordinal) => FuzzInputs.Seeds(FuzzKind.SimulationLog)[0],
            _ when name.EndsWith(".log", StringComparison.Ordinal) => FuzzInputs.Seeds(FuzzKind.RobomakerLog)[0],
            _ when name.EndsWith("model_metadata.json", StringComparison.Ordinal) => FuzzInputs.Seeds(FuzzKind.ModelMetadata)[0],
            _ when name.EndsWith("hyperparameters.json", StringComparison.Ordinal) => FuzzInputs.Seeds(FuzzKind.Hyperparameters)[0],
            _ when name.Contains("metrics/", StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal) => FuzzInputs.Seeds(FuzzKind.MetricsJson)[0],
            _ => "x\n"u8.ToArray(),
        };
    }

    private static string WriteFile(string dir, string relative, byte[] bytes, bool folder = false)
    {
        var full = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return folder ? dir : full;
    }

    private static FuzzOutcome Step(Action action)
    {
        try
        {
            action();
            return FuzzOutcome.Loaded;
        }
        catch (DeepRacerLogException)
        {
            return FuzzOutcome.Rejected;
        }
    }

    private static async Task<FuzzOutcome> StepAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
            return FuzzOutcome.Loaded;
        }
        catch (DeepRacerLogException)
        {
            return FuzzOutcome.Rejected;
        }
    }

    private static FuzzOutcome Worst(FuzzOutcome a, FuzzOutcome b) => (FuzzOutcome)Math.Max((int)a, (int)b);
}
