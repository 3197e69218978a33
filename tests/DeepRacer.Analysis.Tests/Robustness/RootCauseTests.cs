using CsCheck;
using System.Text;
using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Metrics;
using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tests.Robustness.Fuzz;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Tests.Robustness;

/// <summary>
/// One regression test per cause of the crashes found by mutating the samples and tracks (issue 10): each input now ends
/// in a <see cref="DeepRacerLogException"/> naming the file, or loads, and never in another exception.
/// </summary>
public sealed class RootCauseTests
{
    // 1. Track geometry: NaN, infinities and huge coordinates are rejected when the track is loaded.
    [Theory]
    [InlineData(double.NaN, "not a finite number")]
    [InlineData(double.PositiveInfinity, "not a finite number")]
    [InlineData(1e300, "not a finite number within 10000 m")]
    [InlineData(5_000, "more than the 200 m a track can be")]
    public void Track_FromNpyWithBadCoordinate_ClearErrorNamingTheFile(double bad, string why)
    {
        var values = TestInputs.TrackValues("reInvent2019_track", out var rows);
        values[(7 * 6) + 4] = bad; // outer border x of waypoint 7
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "edited_track.npy");
        File.WriteAllBytes(file, TestInputs.Npy(rows, 6, values));

        var e = Assert.Throws<DeepRacerLogException>(() => TrackResolver.FromName(file));

        Assert.StartsWith("Track edited_track", e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Track_WithTwoWaypoints_IsTooFewToBeATrack()
    {
        var values = TestInputs.TrackValues("reInvent2019_track", out _);
        var e = Assert.Throws<DeepRacerLogException>(() => Track.FromArray("stub", NpyReader.Read(TestInputs.Npy(2, 6, values.Take(12)), "stub.npy")));
        Assert.Contains("at least 3 waypoints", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heatmap_StepsAtNaNAndFarAway_AreOutsideOrClampedNotACrash()
    {
        // The first three steps of a sample simtrace moved to NaN, 1e30 m and -1e30 m.
        var lines = File.ReadAllLines(Path.Combine(TestSupport.Sample("sample-drfc-1-logs"), "training-simtrace", "0-iteration.csv")).Take(4).ToArray();
        string[] positions = ["nan,1.0", "1e30,1e30", "-1e30,2.0"];
        for (var i = 1; i <= 3; i++)
        {
            var f = lines[i].Split(',');
            lines[i] = string.Join(',', [.. f[..2], positions[i - 1], .. f[4..]]);
        }

        using var dir = new TempDir();
        var file = dir.Write("0-iteration.csv", string.Join('\n', lines) + "\n");
        using var log = await DeepRacerLog.OpenAsync(file);
        var steps = await log.LoadTrainingTraceAsync();
        Assert.Equal(3, steps.RowCount);

        var map = Heatmap.Analyze(steps, null, TrackResolver.FromName("reinvent_base"), aggregate: HeatmapAggregate.Count, cellSize: 0.5);

        Assert.Equal(2, map.Outside); // NaN x, and x far below the grid
        Assert.Equal(1, map[map.Rows - 1, map.Columns - 1]); // far beyond: the last cell, as the reference clamps
    }

    [Theory]
    [InlineData(1e-6)] // a 10 m track at 1 µm cells: 10^14 cells
    [InlineData(0.0005)]
    public async Task Heatmap_GridOverTheBound_ClearErrorInsteadOfGigabytes(double cellSize)
    {
        var track = TrackResolver.FromName("reinvent_base");
        var steps = await Samples.Training("sample-drfc-1-logs");

        var e = Assert.Throws<DeepRacerLogException>(() => Heatmap.Analyze(steps, [0], track, cellSize: cellSize));

        Assert.Contains("use a larger cell size", e.Message, StringComparison.Ordinal);
        Assert.Contains($"more than {Heatmap.MaxCells}", e.Message, StringComparison.Ordinal);
    }

    // 2. Action indices and numbers in model_metadata.json and in a log's "Action space from file:" line.
    [Theory]
    [InlineData("1.5")]
    [InlineData("2147483648")]
    [InlineData("1e308")]
    [InlineData("-1")]
    public async Task ModelMetadata_ActionIndexOutOfRange_ClearErrorNamingTheFile(string index)
    {
        using var dir = CopySample("sample-drfc-1-logs");
        var file = Path.Combine(dir.Path, "model", "model_metadata.json");
        File.WriteAllText(file, ReplaceFirst(File.ReadAllText(file), "\"index\" : 1", $"\"index\" : {index}"));

        using var log = await DeepRacerLog.OpenAsync(dir.Path);
        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => log.LoadInfoAsync());

        Assert.Contains("model_metadata.json: action 1 has index " + index, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'index': 1.5")]
    [InlineData("'index': 2147483648")]
    [InlineData("'speed': 1e400")]
    public async Task LogActionSpaceLine_NumberOutOfRange_UnknownActionSpaceNotACrash(string replacement)
    {
        var log = Directory.GetFiles(TestSupport.Sample("sample-console-logs"), "*-robomaker.log", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var text = File.ReadAllText(log);
        var line = text.Split('\n').First(l => l.StartsWith("Action space from file:", StringComparison.Ordinal));
        var edited = line.Replace(replacement.StartsWith("'index'", StringComparison.Ordinal) ? "'index': 1}" : "'speed': 2.0", replacement + (replacement.StartsWith("'index'", StringComparison.Ordinal) ? "}" : ""), StringComparison.Ordinal);
        Assert.NotEqual(line, edited);
        using var dir = new TempDir();
        var file = dir.Write("evaluation-robomaker.log", text.Replace(line, edited, StringComparison.Ordinal));

        using var opened = await DeepRacerLog.OpenAsync(file);
        var info = await opened.LoadInfoAsync();
        var steps = await opened.LoadLogsAsync(StepTableKind.Evaluation);

        // The header line is optional metadata: a bad one leaves the action space unknown, the rest of the log loads.
        Assert.Null(info.ActionSpace);
        Assert.Equal("reinvent_base", info.WorldName); // grep WORLD_NAME in the log
        Assert.True(steps.RowCount > 0);
    }

    [Fact]
    public void Hyperparameters_NumbersOutOfRange_AreMissingNotACrash()
    {
        var hp = Hyperparameters.Parse("{\"batch_size\": 1e400, \"lr\": 1e400, \"num_epochs\": 3e9, \"discount_factor\": 0.99}"u8, "hp.json");

        Assert.Null(hp.BatchSize);
        Assert.Null(hp.LearningRate);
        Assert.Null(hp.NumEpochs);
        Assert.Equal(0.99, hp.DiscountFactor);
    }

    // Found by the fuzz tests: a flipped byte that makes a JSON string invalid UTF-8 (System.Text.Json throws InvalidOperationException when it is read).
    [Fact]
    public void Json_InvalidUtf8InAString_ClearErrorNamingTheFile()
    {
        var hp = Encoding.UTF8.GetBytes("{\"loss_type\": \"huber\", \"batch_size\": 64}");
        hp[15] = 0xDB; // inside "huber"
        var metrics = File.ReadAllBytes(Path.Combine(TestSupport.Sample("sample-drfc-1-logs"), "metrics", "TrainingMetrics.json"));
        var phase = metrics.AsSpan().IndexOf("\"training\""u8);
        metrics[phase + 3] = 0x93;

        var e1 = Assert.Throws<DeepRacerLogException>(() => Hyperparameters.Parse(hp, "ip/hyperparameters.json"));
        var e2 = Assert.Throws<DeepRacerLogException>(() => ModelMetadata.Parse(hp, "model/model_metadata.json"));
        var e3 = Assert.Throws<DeepRacerLogException>(() => TrainingMetricsFile.Parse(metrics, "metrics/TrainingMetrics.json"));

        Assert.Equal("ip/hyperparameters.json is not UTF-8 text (a damaged or binary file): fix or remove the file.", e1.Message);
        Assert.StartsWith("model/model_metadata.json is not UTF-8 text", e2.Message, StringComparison.Ordinal);
        Assert.Equal("metrics/TrainingMetrics.json is not UTF-8 text (a damaged or binary file): download it again.", e3.Message);
    }

    // Found by the long fuzz run: a damaged trace (garbage bytes, a number replaced, a line lost) whose laps chart got an
    // infinite colour range, which JSON cannot hold. The CsCheck seed repeats that exact case.
    [Fact]
    public void Report_DamagedTraceWithInfiniteValue_BuildsWithoutThatColourRange()
    {
        var cases = 0;
        FuzzInputs.Cases(FuzzKind.SimtraceCsv).Sample(
            c =>
            {
                Assert.Equal("SimtraceCsv seed 3: 2@0.0435/570840 4@0.8709/465489 6@0.8733/945483", c.ToString());
                FuzzTargets.Run(c);
                cases++;
            },
            seed: "cDpq2C-Or9i1",
            iter: 1,
            threads: 1);

        Assert.Equal(1, cases);
    }

    // 3. Damaged tar headers in the shipped export.
    [Theory]
    [InlineData("size past the data")]
    [InlineData("size that overflows")]
    [InlineData("sparse member")]
    public void TarGz_DamagedHeader_CorruptArchiveErrorNamingTheMember(string damage)
    {
        var tar = TestInputs.Gunzip(File.ReadAllBytes(TestSupport.Sample("sample-droa-solution-logs.tar.gz")));
        // The first training simtrace CSV (its long name is in the ././@LongLink record before it).
        var (offset, name) = TestInputs.TarHeaders(tar).First(h => h.Name.StartsWith("sample-droa-solution-logs/sim-trace/training/", StringComparison.Ordinal)
            && Encoding.ASCII.GetString(tar, h.Offset + TestInputs.TarTypeField, 1) == "0");
        switch (damage)
        {
            case "size past the data":
                TestInputs.SetTarField(tar, offset, TestInputs.TarSizeField, "77777777777\0"u8);
                break;
            case "size that overflows":
                // Base-256 size field (GNU): all ones is far beyond a long.
                TestInputs.SetTarField(tar, offset, TestInputs.TarSizeField, Enumerable.Repeat((byte)0xFF, 12).ToArray());
                break;
            default:
                // A GNU sparse member: its data is a map of holes that drlog does not expand.
                TestInputs.SetTarField(tar, offset, TestInputs.TarTypeField, "S"u8);
                break;
        }

        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "damaged.tar.gz");
        File.WriteAllBytes(file, TestInputs.Gzip(tar));

        var e = Assert.Throws<DeepRacerLogException>(() => TarGzSource.Open(file));

        Assert.StartsWith($"{file} is truncated or not a .tar.gz (", e.Message, StringComparison.Ordinal);
        Assert.Contains("member sample-droa-solution-logs/", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("download the export again.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        _ = name;
    }

    [Fact]
    public void TarGz_CutInTheMiddle_CorruptArchiveErrorNamingTheMember()
    {
        var gz = File.ReadAllBytes(TestSupport.Sample("sample-droa-solution-logs.tar.gz"));
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "half.tar.gz");
        File.WriteAllBytes(file, gz[..(gz.Length / 2)]);

        var e = Assert.Throws<DeepRacerLogException>(() => TarGzSource.Open(file));

        Assert.Contains("member sample-droa-solution-logs/", e.Message, StringComparison.Ordinal);
    }

    // 4. Symbolic links that loop back into the model folder or lead out of it.
    [Fact]
    public async Task Folder_WithLinkLoopAndLinksOut_ListsOnceAndNamesTheSkippedLinks()
    {
        using var dir = CopySample("sample-drfc-1-logs");
        using var outside = new TempDir();
        outside.Write("secret.csv", "episode,steps\n");
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "training-simtrace", "loop"), dir.Path);
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "out"), outside.Path);
        File.CreateSymbolicLink(Path.Combine(dir.Path, "metrics", "TrainingMetrics_1.json"), Path.Combine(dir.Path, "metrics", "TrainingMetrics.json"));

        using var log = await DeepRacerLog.OpenAsync(dir.Path);
        var steps = await log.LoadTrainingTraceAsync();

        var folder = Assert.IsType<FolderSource>(log.Source);
        Assert.Equal(["metrics/TrainingMetrics_1.json", "out", "training-simtrace/loop"], folder.SkippedLinks);
        var files = await folder.ListAsync();
        Assert.DoesNotContain(files, f => f.Path.Contains("loop", StringComparison.Ordinal) || f.Path.StartsWith("out", StringComparison.Ordinal));
        // Same steps as the sample itself: 27 iteration files, nothing read twice through the loop.
        Assert.Equal((await Samples.Training("sample-drfc-1-logs")).RowCount, steps.RowCount);
    }

    // 5. Numbers in file names.
    [Theory]
    [InlineData("TrainingMetrics_99999999999.json")]
    [InlineData("TrainingMetrics_1000.json")]
    public async Task Metrics_WorkerNumberOutOfRange_ClearErrorNamingTheFile(string name)
    {
        using var dir = CopySample("sample-drfc-1-logs");
        File.Copy(Path.Combine(dir.Path, "metrics", "TrainingMetrics.json"), Path.Combine(dir.Path, "metrics", name));

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(() => TrainingMetrics.LoadAsync(dir.Path));

        Assert.StartsWith($"metrics/{name}: worker number", e.Message, StringComparison.Ordinal);
        Assert.Contains("out of range (0 to 999)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99999999999-iteration.csv", "too large for an iteration")]
    [InlineData("1000/training-simtrace/0-iteration.csv", "Worker folder 1000/ is out of range")]
    public async Task Layout_NumberInFileNameOutOfRange_ClearError(string path, string why)
    {
        using var dir = new TempDir();
        var csv = File.ReadAllText(Path.Combine(TestSupport.Sample("sample-drfc-1-logs"), "training-simtrace", "0-iteration.csv"));
        var file = dir.Write(path, csv);
        var location = path.Contains('/', StringComparison.Ordinal) ? dir.Path : file;

        var e = await Assert.ThrowsAsync<DeepRacerLogException>(async () =>
        {
            using var log = await DeepRacerLog.OpenAsync(location);
            await log.LoadTrainingTraceAsync();
        });

        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    internal static TempDir CopySample(string sample)
    {
        var dir = new TempDir();
        var from = TestSupport.Sample(sample);
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(dir.Path, Path.GetRelativePath(from, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }

        return dir;
    }

    private static string ReplaceFirst(string text, string what, string with)
    {
        var i = text.IndexOf(what, StringComparison.Ordinal);
        Assert.True(i >= 0, $"'{what}' not found");
        return text[..i] + with + text[(i + what.Length)..];
    }
}
