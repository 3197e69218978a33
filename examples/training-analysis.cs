#:project ../src/DeepRacer.Analysis/DeepRacer.Analysis.csproj
#:project ../src/DeepRacer.Analysis.Charts/DeepRacer.Analysis.Charts.csproj
#:project ../src/DeepRacer.Analysis.Reports/DeepRacer.Analysis.Reports.csproj

// The Training_analysis notebook's flow in C#. From the repository root:
//   dotnet run examples/training-analysis.cs [MODEL] [OUTPUT-FOLDER]
// MODEL is a folder, a .tar.gz or s3://bucket/prefix (default: the shipped 1-worker DRfC sample).
using DeepRacer.Analysis;
using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Reports;

var model = args.Length > 0 ? args[0] : "samples/sample-drfc-1-logs";
var output = args.Length > 1 ? args[1] : "training-analysis";
Directory.CreateDirectory(output);

// 1. Load the logs: folder type, metadata, every training step.
using var log = await DeepRacerLog.OpenAsync(model);
var info = await log.LoadInfoAsync();
var steps = await log.LoadTrainingTraceAsync();
Console.WriteLine($"{log.FolderType}: {steps.RowCount} steps, {steps.WorkerCount} worker(s)");
Console.WriteLine($"Action space: {info.ActionSpace}; episodes per iteration: {info.Hyperparameters?.NumEpisodesBetweenTraining}");

// 2. One row per episode (simulation_agg), then the notebook's summaries.
var episodes = EpisodeTable.Aggregate(steps);
var progress = TrainingProgress.Analyze(episodes);
Console.WriteLine($"{episodes.RowCount} episodes, {episodes.CompletedLaps().RowCount} complete laps, completion rate {progress.TotalCompletionRate:P1}");
var last = progress.Iterations[^1];
Console.WriteLine($"Last iteration: mean progress {last.ProgressMean:0.0} %, mean reward {last.RewardMean:0.0}");

// 3. The fastest laps and the checkpoint to race.
var laps = episodes.CompletedLaps();
foreach (var row in laps.Order("time").Take(3))
{
    Console.WriteLine($"  lap: iteration {laps.Iteration[row]}, episode {laps.Episode[row]}, {laps.Time[row]:0.000} s");
}

var best = CheckpointRanking.Analyze(episodes).Checkpoints[0];
Console.WriteLine($"Checkpoint to race: iteration {best.Iteration} (completion {best.CompletionRate:P0}, mean lap {best.CompleteTimeMean:0.000} s)");

// 4. The track (named by the logs, or guessed from track_len and positions) and the charts.
var track = await log.ResolveTrackAsync(null, steps);
Console.WriteLine(track.Reason);
var source = new ChartSource(steps, episodes, track);
ChartData[] charts =
[
    AnalysisCharts.Progress(episodes),
    AnalysisCharts.Aggregates(episodes),
    AnalysisCharts.StartWaypoints(episodes),
    AnalysisCharts.Laps(source),
    AnalysisCharts.HeatmapChart(source),
    AnalysisCharts.RewardPerWaypointChart(source),
];
foreach (var chart in charts)
{
    foreach (var file in ChartRenderer.Save(chart, output, png: true, svg: false))
    {
        Console.WriteLine($"wrote {file}");
    }
}

// 5. Everything at once, as one offline HTML page.
var report = ModelReport.Build(log, info, steps, track);
report.Save(Path.Combine(output, "report.html"));
Console.WriteLine($"wrote {Path.Combine(output, "report.html")} ({report.ChartCount} charts)");
