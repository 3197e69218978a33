using System.Formats.Tar;
using System.IO.Compression;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Sources;

public class TarGzSourceTests
{
    private static string Tarball => TestSupport.Sample("sample-droa-solution-logs.tar.gz");

    private static void AssertSameSteps(StepTable a, StepTable b)
    {
        Assert.Equal(a.RowCount, b.RowCount);
        Assert.Equal(a.Episode.ToArray(), b.Episode.ToArray());
        Assert.Equal(a.Iteration.ToArray(), b.Iteration.ToArray());
        Assert.Equal(a.Steps.ToArray(), b.Steps.ToArray());
        Assert.Equal(a.X.ToArray(), b.X.ToArray());
        Assert.Equal(a.Y.ToArray(), b.Y.ToArray());
        Assert.Equal(a.Reward.ToArray(), b.Reward.ToArray());
        Assert.Equal(a.Progress.ToArray(), b.Progress.ToArray());
        Assert.Equal(a.Tstamp.ToArray(), b.Tstamp.ToArray());
        Assert.Equal(a.Status.ToArray(), b.Status.ToArray());
        Assert.Equal(a.Streams, b.Streams);
    }

    private static void AssertSameEpisodes(EpisodeTable a, EpisodeTable b)
    {
        Assert.Equal(a.Columns.Select(c => c.Name), b.Columns.Select(c => c.Name));
        Assert.Equal(a.RowCount, b.RowCount);
        foreach (var c in a.Columns)
        {
            for (var i = 0; i < a.RowCount; i++)
            {
                Assert.Equal(c.AsText(i), b[c.Name].AsText(i));
            }
        }
    }

    [Fact]
    public async Task Open_DroaTarball_SameTablesAsFolder()
    {
        using var tar = await DeepRacerLog.OpenAsync(Tarball);
        Assert.Equal(FolderType.DroaSolutionLogs, tar.FolderType);
        var tarTraining = await tar.LoadTrainingTraceAsync();
        var tarEvaluation = await tar.LoadEvaluationTraceAsync();
        var folderTraining = await Samples.Training("sample-droa-solution-logs");
        var folderEvaluation = await Samples.Evaluation("sample-droa-solution-logs");
        Assert.Equal(846, tarTraining.RowCount); // wc -l of the two training CSVs minus headers (374 + 474 - 2)
        AssertSameSteps(folderTraining, tarTraining);
        AssertSameSteps(folderEvaluation, tarEvaluation);
        AssertSameEpisodes(EpisodeTable.Aggregate(folderTraining), EpisodeTable.Aggregate(tarTraining));
        AssertSameEpisodes(EpisodeTable.Aggregate(folderEvaluation), EpisodeTable.Aggregate(tarEvaluation));
    }

    [Fact]
    public void Open_DroaTarball_StripsWrapperFolder()
    {
        using var source = TarGzSource.Open(Tarball);
        Assert.Equal("sample-droa-solution-logs", source.Wrapper);
    }

    [Fact]
    public async Task Open_TruncatedTarball_ThrowsMentioningTruncated()
    {
        using var dir = new TempDir();
        var bytes = await File.ReadAllBytesAsync(Tarball);
        var path = Path.Combine(dir.Path, "half.tar.gz");
        await File.WriteAllBytesAsync(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => DeepRacerLog.OpenAsync(path));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_NotGzip_Throws()
    {
        using var dir = new TempDir();
        var path = dir.Write("bad.tar.gz", "this is not gzip at all");
        await Assert.ThrowsAsync<DeepRacerLogException>(() => DeepRacerLog.OpenAsync(path));
    }

    [Fact]
    public async Task Open_DrfcSingleWorkerTarballWithWrapper_Loads()
    {
        // Hand-made: two episodes in iteration 0, one in iteration 1 and one evaluation trial.
        const string header = "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration\n";
        var it0 = header
            + "0,1.0,0.0,0.0,0.0,0.0,1.0,0,0.0,False,True,1.0,1,17.7,10.0,prepare,0.0\n"
            + "0,2.0,3.0,4.0,0.0,0.0,1.0,0,1.0,True,True,2.0,1,17.7,10.5,off_track,0.0\n"
            + "1,1.0,0.0,0.0,0.0,0.0,1.0,0,0.0,False,True,1.0,1,17.7,11.0,prepare,0.0\n"
            + "1,2.0,0.0,1.0,0.0,0.0,1.0,0,2.0,True,True,100,1,17.7,11.25,lap_complete,0.0\n";
        var it1 = header
            + "2,1.0,0.0,0.0,0.0,0.0,1.0,0,0.0,False,True,1.0,1,17.7,20.0,prepare,0.0\n"
            + "2,2.0,1.0,0.0,0.0,0.0,1.0,0,0.5,True,True,3.0,1,17.7,20.125,off_track,0.0\n";
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "drfc.tar.gz");
        await using (var file = File.Create(path))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "rl-model/"));
            await AddAsync(tar, "rl-model/training-simtrace/0-iteration.csv", it0);
            await AddAsync(tar, "rl-model/training-simtrace/1-iteration.csv", it1);
            await AddAsync(tar, "rl-model/evaluation-20220709200242/evaluation-simtrace/0-iteration.csv", it0);
            await AddAsync(tar, "rl-model/model/model_metadata.json", "{\"action_space\": [{\"steering_angle\": 0, \"speed\": 1}], \"sensor\": [\"FRONT_FACING_CAMERA\"], \"neural_network\": \"DEEP_CONVOLUTIONAL_NETWORK_SHALLOW\", \"version\": \"4\"}");
        }

        using var log = await DeepRacerLog.OpenAsync(path);
        Assert.Equal(FolderType.DrfcModelSingleWorkers, log.FolderType);
        var steps = await log.LoadTrainingTraceAsync();
        Assert.Equal(6, steps.RowCount);
        Assert.Equal([0, 0, 0, 0, 1, 1], steps.Iteration.ToArray());
        var episodes = EpisodeTable.Aggregate(steps);
        Assert.Equal(3, episodes.RowCount);
        Assert.Equal(0.5, episodes.Time[0], 1e-12);
        Assert.Equal(5.0, episodes.Dist[0], 1e-6); // 3-4-5 triangle
        Assert.Equal(1, episodes.Complete[1]);
        Assert.Equal(0.125, episodes.Time[2], 1e-12);
        var evaluation = await log.LoadEvaluationTraceAsync();
        Assert.Equal(["20220709200242"], evaluation.Streams);
        var info = await log.LoadInfoAsync();
        Assert.Equal(1, info.ActionSpace?.Actions.Count);
    }

    private static async Task AddAsync(TarWriter tar, string name, string text)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) };
        await tar.WriteEntryAsync(entry);
    }
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public async Task Open_TarballCutAnywhere_ThrowsMentioningTruncated(double fraction)
    {
        using var dir = new TempDir();
        var bytes = await File.ReadAllBytesAsync(Tarball);
        var path = Path.Combine(dir.Path, "cut.tar.gz");
        await File.WriteAllBytesAsync(path, bytes.AsSpan(0, (int)(bytes.Length * fraction)).ToArray());
        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => DeepRacerLog.OpenAsync(path));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(600)]
    public async Task Open_TarballMissingLastBytes_Throws(int cut)
    {
        // Without its last bytes the archive is incomplete: it must not load silently. (Losing only the 8-byte gzip
        // trailer leaves every member complete; .NET's GZipStream does not check the CRC, so that case loads.)
        using var dir = new TempDir();
        var bytes = await File.ReadAllBytesAsync(Tarball);
        var path = Path.Combine(dir.Path, "cut.tar.gz");
        await File.WriteAllBytesAsync(path, bytes.AsSpan(0, bytes.Length - cut).ToArray());
        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => DeepRacerLog.OpenAsync(path));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }
    [Fact]
    public async Task Open_TarballWhoseOnlyFolderIsTrainingSimtrace_NotStripped()
    {
        // Members: training-simtrace/0-iteration.csv and reward_function.py at the root. The only folder is
        // training-simtrace/ itself, not a wrapper (the spec 1.4 rule would strip it and find nothing).
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "model.tar.gz");
        await using (var file = File.Create(path))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            await AddAsync(tar, "reward_function.py", "def reward_function(params):\n    return 1.0\n");
            await AddAsync(tar, "training-simtrace/0-iteration.csv",
                "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration\n"
                + "0,1.0,0.0,0.0,0.0,0.0,1.0,0,0.0,False,True,1.0,1,17.7,10.0,prepare,0.0\n");
        }

        using var log = await DeepRacerLog.OpenAsync(path);
        Assert.Equal(FolderType.DrfcModelSingleWorkers, log.FolderType);
        Assert.Equal(1, (await log.LoadTrainingTraceAsync()).RowCount);
    }
    [Theory]
    [InlineData("0/training-simtrace/0-iteration.csv", FolderType.DrfcModelMultipleWorkers)]
    [InlineData("wrapper/0/training-simtrace/0-iteration.csv", FolderType.DrfcModelMultipleWorkers)]
    [InlineData("evaluation-20220709200242/evaluation-simtrace/0-iteration.csv", FolderType.DrfcModelUpload)]
    [InlineData("sim-trace/training/2026-03-06T18:33:59.511Z-x/training-simtrace/0-iteration.csv", FolderType.DroaSolutionLogs)]
    public async Task Open_TarballWithSingleMember_LayoutFound(string member, FolderType expected)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "one.tar.gz");
        await using (var file = File.Create(path))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            await AddAsync(tar, member,
                "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration\n"
                + "0,1.0,0.0,0.0,0.0,0.0,1.0,0,0.0,False,True,1.0,1,17.7,10.0,prepare,0.0\n");
        }

        using var log = await DeepRacerLog.OpenAsync(path);
        Assert.Equal(expected, log.FolderType);
        var steps = await log.LoadAsync(expected == FolderType.DrfcModelUpload ? StepTableKind.Evaluation : StepTableKind.Training);
        Assert.Equal(1, steps.RowCount);
    }
}
