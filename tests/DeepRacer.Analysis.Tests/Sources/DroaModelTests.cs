using System.Formats.Tar;
using System.IO.Compression;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Metrics;
using DeepRacer.Analysis.Reports;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Sources;

/// <summary>
/// The DeepRacer on AWS fixture model (Fixtures/droa-model, built by its make-fixture.py from the DROA sample): one training,
/// two evaluations (one only as its nested logs archive), two submissions, every artifact with its own time stamp. The same
/// answers from the folder, from an export tar rooted at {modelId}/ and from s3rver. Expected values come from awk over the
/// fixture files: steps = rows of the episode, progress = its largest progress, time = last tstamp - first tstamp
/// (e.g. awk -F, 'NR==2{t0=$15} NR>1{n++; if($12>p)p=$12; t=$15} END{print n, p, t-t0}' .../0-iteration.csv).
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class DroaModelTests(S3ServerFixture server)
{
    private const string ModelId = "ACGVRmRuFNU9NkQ";
    private const string Evaluation1 = "deepracerindy-evaluation-9oJ3QbS0SYm7Iag";
    private const string Evaluation2 = "deepracerindy-evaluation-Ev2NestedOnly01";
    private const string Submission1 = "deepracerindy-submission-Sub1AAAAAAAAAA";
    private const string Submission2 = "deepracerindy-submission-Sub2BBBBBBBBBB";

    private static string Folder => TestSupport.Fixture(Path.Combine("droa-model", ModelId));

    public static TheoryData<string> Locations => ["folder", "tar.gz", "s3"];

    private async Task<string> LocationAsync(string kind, TempDir dir) => kind switch
    {
        "folder" => Folder,
        "tar.gz" => ExportTar(dir),
        _ => await server.UploadFolderAsync(Folder, "droa-bucket", $"profile-0001/models/{ModelId}"),
    };

    /// <summary>The model as DROA's asset download packs it: every entry rooted at {modelId}/.</summary>
    private static string ExportTar(TempDir dir)
    {
        var path = Path.Combine(dir.Path, $"{ModelId}.tar.gz");
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var f in Directory.GetFiles(Folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            tar.WriteEntry(f, $"{ModelId}/" + Path.GetRelativePath(Folder, f).Replace('\\', '/'));
        }

        return path;
    }

    private async Task<DeepRacerLog> OpenAsync(string kind, TempDir dir) =>
        await DeepRacerLog.OpenAsync(await LocationAsync(kind, dir), kind == "s3" ? server.Options : null);

    [Theory]
    [MemberData(nameof(Locations))]
    public async Task Submissions_AreTheLeaderboard_FromSimtraceAndFromLogs(string kind)
    {
        using var dir = new TempDir();
        using var log = await OpenAsync(kind, dir);

        Assert.Equal(FolderType.DroaSolutionLogs, log.FolderType);
        foreach (var trace in new[] { TraceKind.Simtrace, TraceKind.Logs })
        {
            var steps = await log.LoadAsync(StepTableKind.Leaderboard, trace);
            var episodes = EpisodeTable.Aggregate(steps);

            // Streams are job names, though each job's simtrace and log carry different time stamps.
            Assert.Equal([Submission1, Submission2], steps.Streams);
            Assert.Equal([60, 60], episodes.Steps.ToArray());
            Assert.Equal([3.89, 3.897], episodes.Time.ToArray().Select(t => Math.Round(t, 6)));
            // The log prints progress with 4 decimals, the simtrace in full.
            Assert.Equal([14.4112, 15.3638], episodes.Progress.ToArray().Select(p => Math.Round(p, 4)));
        }
    }

    [Theory]
    [MemberData(nameof(Locations))]
    public async Task Evaluations_AutoReadsSimtraceForTheFirst_AndTheNestedLogsOfTheSecond(string kind)
    {
        using var dir = new TempDir();
        using var log = await OpenAsync(kind, dir);

        var simtraceOnly = EpisodeTable.Aggregate(await log.LoadAsync(StepTableKind.Evaluation, TraceKind.Simtrace));
        Assert.Equal([60], simtraceOnly.Steps.ToArray());
        Assert.Equal(15.057012121443487, simtraceOnly.Progress[0], 12);
        Assert.Equal(3.957, simtraceOnly.Time[0], 9);

        // Auto: the job with a simtrace from it (full precision), the job that left only its logs archive from the log.
        var auto = await log.LoadAsync(StepTableKind.Evaluation);
        var fromAuto = EpisodeTable.Aggregate(auto);
        Assert.Equal([Evaluation1, Evaluation2], auto.Streams);
        Assert.Equal([60, 60], fromAuto.Steps.ToArray());
        Assert.Equal([15.057012121443487, 14.4112], fromAuto.Progress.ToArray());

        var steps = await log.LoadAsync(StepTableKind.Evaluation, TraceKind.Logs);
        var fromLogs = EpisodeTable.Aggregate(steps);
        Assert.Equal([Evaluation1, Evaluation2], steps.Streams);
        Assert.Equal([60, 60], fromLogs.Steps.ToArray());
        // Evaluation 2 is only in logs/evaluation/{job}-logs.tar.gz: trial 1 of the sample (episode 1), read in place.
        Assert.Equal([0, 1], fromLogs.Get<int>("episode").ToArray());
        Assert.Equal([15.057, 14.4112], fromLogs.Progress.ToArray().Select(p => Math.Round(p, 4)));
    }

    [Theory]
    [MemberData(nameof(Locations))]
    public async Task Training_EpisodesAndInfo(string kind)
    {
        using var dir = new TempDir();
        using var log = await OpenAsync(kind, dir);

        var episodes = EpisodeTable.Aggregate(await log.LoadTrainingTraceAsync());
        Assert.Equal([20, 21], episodes.Steps.ToArray());
        Assert.Equal([2.903696540926232, 4.359872399343523], episodes.Progress.ToArray());

        var info = await log.LoadInfoAsync();
        Assert.Equal("Spain_track", info.WorldName);
        Assert.Equal(
            [
                "training simtrace: 1 files, iterations 0-0", "evaluation simtrace: 1 runs", "training logs: 1", "evaluation logs: 2",
                "leaderboard simtrace: 2 submissions", "leaderboard logs: 2", "metrics files: 4",
            ],
            log.Layout.Describe());
        // videos/ and sagemaker-artifacts/ are listed but belong to nothing.
        Assert.Contains(log.Layout.Files, f => f.Path.EndsWith("sagemaker-artifacts/training_params.yaml", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Locations))]
    public async Task RaceResults_FromEvaluationAndSubmissionMetrics(string kind)
    {
        using var dir = new TempDir();
        using var log = await OpenAsync(kind, dir);

        var results = await RaceResult.LoadAsync(log.Source, log.Layout, minimumLaps: 3);

        Assert.Equal([Evaluation1, Submission1, Submission2], results.Select(r => r.Job));
        Assert.Equal(["evaluation", "submission", "submission"], results.Select(r => r.JobType));
        // Evaluation 1 (the sample's file): 30884, 28573, 28312 ms, all complete; floor(87769 / 3) = 29256.
        Assert.Equal((28312L, 29256L, 87769L, 3, 1), Summary(results[0]));
        Assert.Equal((12000L, 27833L, 154500L, 3, 1), Summary(results[1]));
        Assert.Equal((9000L, (long?)null, 70000L, 1, 2), Summary(results[2]));
        Assert.Equal([true, true, false], results.Select(r => r.Qualified));

        static (long?, long?, long, int, int) Summary(RaceResult r) => (r.BestLapMilliseconds, r.AverageLapMilliseconds, r.TotalMilliseconds, r.CompletedLaps, r.Resets);
    }

    [Fact]
    public async Task EvaluationReport_HasTheRaceResults()
    {
        using var log = await DeepRacerLog.OpenAsync(Folder);

        var html = (await ModelReport.BuildAsync(log, StepTableKind.Evaluation)).ToHtml();

        Assert.Contains("<h2>Race results</h2>", html, StringComparison.Ordinal);
        var row = System.Text.RegularExpressions.Regex.Match(html, $"<tr><td>{Submission1}</td>.*?</tr>").Value;
        var cells = System.Text.RegularExpressions.Regex.Matches(row, "<td[^>]*>([^<]*)</td>").Select(m => m.Groups[1].Value);
        // Minimum 1 lap, ranked by total time: 6 trials, 3 in a row complete, best 12 s (the incomplete trial), best single
        // complete lap 27 s, total 154.5 s; Submission 2 (70 s) and Evaluation 1 (87.769 s) rank before it.
        Assert.Equal([Submission1, "submission", "6", "3", "1", "true", "12", "27", "154.5", "1", "0.167", "2", "1", "1", "0", "154.5", "3"], cells);
    }
}
