#:project ../src/DeepRacer.Analysis/DeepRacer.Analysis.csproj
#:project ../src/DeepRacer.Analysis.Charts/DeepRacer.Analysis.Charts.csproj

// The Evaluation_analysis notebook's flow in C#. From the repository root:
//   dotnet run examples/evaluation-analysis.cs [MODEL] [OUTPUT-FOLDER]
// MODEL is a folder, a .tar.gz or s3://bucket/prefix (default: the shipped console export).
using DeepRacer.Analysis;
using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

var model = args.Length > 0 ? args[0] : "samples/sample-console-logs";
var output = args.Length > 1 ? args[1] : "evaluation-analysis";
Directory.CreateDirectory(output);

// 1. Evaluation runs: simtrace when present, robomaker/simulation logs otherwise.
using var log = await DeepRacerLog.OpenAsync(model);
var steps = await log.LoadAsync(StepTableKind.Evaluation);
var episodes = EpisodeTable.Aggregate(steps);
Console.WriteLine($"{steps.Streams.Count} evaluation run(s), {episodes.RowCount} laps, {episodes.CompletedLaps().RowCount} complete");

// 2. Per lap: distance, lap time, velocity, progress, off-track count.
var laps = EvaluationLaps.Analyze(steps);
foreach (var lap in laps.LapRows)
{
    Console.WriteLine($"  {lap.Stream} lap {lap.Episode}: {lap.LapTime:0.000} s, {lap.Distance:0.00} m, progress {lap.Progress:0.#} %");
}

// 3. The simulator's health during the runs.
var stability = StabilityAnalysis.Analyze(steps).Overall;
Console.WriteLine($"Step timing: mean {stability.AvgMs:0.0} ms, p95 {stability.P95Ms:0.0} ms: {(stability.IsTooSlow ? "too slow, training is likely hurt" : "within the target's tolerance")}");

// 4. Every lap on the track, coloured by speed.
var track = await log.ResolveTrackAsync(null, steps);
Console.WriteLine(track.Reason);
foreach (var file in ChartRenderer.Save(AnalysisCharts.EvaluationLapsChart(new ChartSource(steps, episodes, track)), output, png: true, svg: false))
{
    Console.WriteLine($"wrote {file}");
}
