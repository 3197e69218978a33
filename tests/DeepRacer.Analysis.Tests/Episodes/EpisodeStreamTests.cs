using System.Globalization;
using System.Text;
using CsCheck;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Episodes;

/// <summary>
/// <see cref="DeepRacerLog.LoadEpisodesAsync"/> (sums while parsing, no step table) against
/// <see cref="EpisodeTable.Aggregate(StepTable)"/> of the loaded steps: every column bit for bit, and the load report.
/// </summary>
public sealed class EpisodeStreamTests
{
    public static TheoryData<string, StepTableKind, TraceKind> SampleCases()
    {
        var data = new TheoryData<string, StepTableKind, TraceKind>();
        foreach (var sample in new[] { "sample-console-logs", "sample-drfc-1-logs", "sample-drfc-3-logs", "sample-droa-solution-logs", "sample-droa-solution-logs.tar.gz" })
        {
            foreach (var kind in Enum.GetValues<StepTableKind>())
            {
                data.Add(sample, kind, TraceKind.Auto);
                data.Add(sample, kind, TraceKind.Logs);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SampleCases))]
    public async Task StreamedEpisodes_EqualAggregatedSteps_OnEverySample(string sample, StepTableKind kind, TraceKind trace)
    {
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample(sample));
        var (expected, expectedError) = await Try(() => log.LoadAsync(kind, trace).ContinueWith(t => EpisodeTable.Aggregate(t.Result), TaskScheduler.Default));
        var (streamed, streamedError) = await Try(() => log.LoadEpisodesAsync(kind, trace));
        Assert.Equal(expectedError, streamedError);
        if (expected is not null)
        {
            AssertSame(expected, streamed!);
        }
    }

    [Theory]
    [InlineData("sample-console-logs", StepTableKind.Training, 28)]
    [InlineData("sample-console-logs", StepTableKind.Evaluation, 2)]
    [InlineData("sample-drfc-1-logs", StepTableKind.Training, 27)]
    [InlineData("sample-drfc-1-logs", StepTableKind.Evaluation, 3)]
    [InlineData("sample-drfc-3-logs", StepTableKind.Training, 69)]
    [InlineData("sample-drfc-3-logs", StepTableKind.Evaluation, 3)]
    [InlineData("sample-droa-solution-logs.tar.gz", StepTableKind.Training, 2)]
    public async Task Simtrace_IsSummedWhileParsing_NotLoadedAsSteps(string sample, StepTableKind kind, int files)
    {
        // The comparison above would pass if every load fell back to a step table; the samples must take the streaming path.
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample(sample));
        var traces = kind == StepTableKind.Training ? log.Layout.TrainingTraces : log.Layout.EvaluationTraces;
        Assert.Equal(files, traces.Count);
        var streamed = await TraceLoader.AggregateSimtraceAsync(log.Source, traces, kind, null, CancellationToken.None);
        Assert.NotNull(streamed);
        AssertSame(EpisodeTable.Aggregate(await log.LoadAsync(kind, TraceKind.Simtrace)), streamed);
    }

    [Fact]
    public void GeneratedSteps_StreamedEqualsAggregated()
    {
        // Files of random episodes: first rows with or without prepare, steps that go backwards, episodes that continue
        // into the next file, bad and empty files, one or three workers, training and evaluation.
        var streamedCount = 0;
        s_model.Sample(
            model =>
            {
                using var dir = new TempDir();
                model.WriteTo(dir.Path);
                using var log = DeepRacerLog.OpenAsync(dir.Path).GetAwaiter().GetResult();
                var kind = model.Evaluation ? StepTableKind.Evaluation : StepTableKind.Training;
                var expected = EpisodeTable.Aggregate(log.LoadAsync(kind).GetAwaiter().GetResult());
                AssertSame(expected, log.LoadEpisodesAsync(kind).GetAwaiter().GetResult());
                var traces = model.Evaluation ? log.Layout.EvaluationTraces : log.Layout.TrainingTraces;
                if (TraceLoader.AggregateSimtraceAsync(log.Source, traces, kind, null, CancellationToken.None).GetAwaiter().GetResult() is not null)
                {
                    Interlocked.Increment(ref streamedCount);
                }
            },
            iter: 120,
            threads: 1);

        // Most generated models must take the streaming path, or the property says little about it.
        Assert.InRange(streamedCount, 40, 120);
    }

    private static async Task<(T? Value, string? Error)> Try<T>(Func<Task<T>> load) where T : class
    {
        try
        {
            return (await load(), null);
        }
        catch (Exception e) when (e is DeepRacerLogException || e.InnerException is DeepRacerLogException)
        {
            return (null, (e as DeepRacerLogException ?? e.InnerException)!.Message);
        }
    }

    private static void AssertSame(EpisodeTable expected, EpisodeTable actual)
    {
        Assert.Equal(expected.Columns.Select(c => c.Name), actual.Columns.Select(c => c.Name));
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.IsEvaluation, actual.IsEvaluation);
        Assert.Equal(expected.Report.Files, actual.Report.Files);
        Assert.Equal(expected.Report.Bytes, actual.Report.Bytes);
        Assert.Equal(expected.Report.Rows, actual.Report.Rows);
        Assert.Equal(expected.Report.BadLineCount, actual.Report.BadLineCount);
        Assert.Equal(expected.Report.FirstBadLines, actual.Report.FirstBadLines);
        foreach (var column in expected.Columns)
        {
            var other = actual[column.Name];
            Assert.Equal(column.GetType(), other.GetType());
            for (var row = 0; row < expected.RowCount; row++)
            {
                if (column is Column<double> d)
                {
                    // Bit for bit: the same sums added in the same order.
                    var (a, b) = (d[row], ((Column<double>)other)[row]);
                    Assert.True(BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b), $"{column.Name}[{row}]: {a:R} != {b:R}");
                }
                else
                {
                    Assert.True(column.Format(row) == other.Format(row), $"{column.Name}[{row}]: {column.Format(row)} != {other.Format(row)}");
                }
            }
        }
    }

    // ------------------------------------------------------------------ generated models

    private const string Header = "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration";
    private const string LegacyHeader = "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp";
    private static readonly string[] s_statuses = ["prepare", "in_progress", "crashed", "off_track", "lap_complete", "reversed"];

    /// <summary>One step: whether a new episode starts, the step counter's move, status and values.</summary>
    internal sealed record GenRow(bool NewEpisode, int StepMove, int Status, double X, double Y, double Speed, double Reward, double Progress, int Waypoint, double Dt, int Damage);

    /// <summary>One file: worker, iteration, header variant, first episode relative to the expected one, rows, whether rows log a wall clock.</summary>
    internal sealed record GenFile(int Worker, int Iteration, bool Legacy, int EpisodeShift, GenRow[] Rows, bool NoHeader, bool WallClock);

    internal sealed record GenModel(bool Evaluation, int Workers, GenFile[] Files)
    {
        public void WriteTo(string root)
        {
            var tstamp = 10.0;
            foreach (var (file, index) in Files.Select((f, i) => (f, i)))
            {
                var worker = Math.Min(file.Worker, Workers - 1);
                var path = Evaluation
                    ? Path.Combine(root, $"evaluation-2022070920{index % 3:D2}00", "evaluation-simtrace", $"{file.Iteration}-iteration.csv")
                    : Workers == 1
                        ? Path.Combine(root, "training-simtrace", $"{file.Iteration}-iteration.csv")
                        : Path.Combine(root, worker.ToString(CultureInfo.InvariantCulture), "training-simtrace", $"{file.Iteration}-iteration.csv");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var text = new StringBuilder();
                if (!file.NoHeader)
                {
                    text.Append(file.Legacy ? LegacyHeader : Header).Append(file.WallClock && !file.Legacy ? ",wall_clock\n" : "\n");
                }

                // Episodes continue from the previous file's numbering (2 per iteration), shifted to make overlaps and gaps.
                var episode = Math.Max(0, (file.Iteration * 2) + file.EpisodeShift);
                var steps = 1;
                var first = true;
                foreach (var row in file.Rows)
                {
                    if (!first && row.NewEpisode)
                    {
                        episode++;
                        steps = 1;
                    }
                    else if (!first)
                    {
                        steps += row.StepMove;
                    }

                    first = false;
                    tstamp += row.Dt;
                    var status = s_statuses[steps == 1 && row.Status == 1 ? 0 : row.Status];
                    var line = string.Create(
                        CultureInfo.InvariantCulture,
                        $"{episode},{steps}.0,{row.X:R},{row.Y:R},1.5,-20.0,{row.Speed:R},3,{(row.Damage == 2 ? "nan" : row.Reward.ToString("R", CultureInfo.InvariantCulture))},False,True,{row.Progress:R},{row.Waypoint},17.709159380834848,{tstamp:R}");
                    if (!file.Legacy)
                    {
                        line += $",{status},0.0";
                    }

                    if (file.WallClock && !file.Legacy)
                    {
                        // Wall clock runs a little slower than simulation time, and is sometimes missing.
                        line += row.Damage == 2 ? "," : string.Create(CultureInfo.InvariantCulture, $",{1.7e9 + (tstamp * 1.25):R}");
                    }

                    text.Append(row.Damage == 1 ? line[..(line.Length / 2)] + "x" : line).Append('\n');
                }

                File.WriteAllText(path, text.ToString());
            }
        }
    }

    private static readonly Gen<GenRow> s_row = Gen.Select(
        Gen.Int[0, 9].Select(n => n == 0),
        Gen.Int[0, 300].Select(n => n switch { 0 => -2, 1 => 0, _ => 1 }),
        Gen.Int[0, 5],
        Gen.Select(Gen.Double[-8, 8], Gen.Double[-8, 8], Gen.Double[0.5, 4]),
        Gen.Select(Gen.Double[0, 3], Gen.Int[0, 6].SelectMany(n => n == 0 ? Gen.Const(100.0) : Gen.Double[0, 100])),
        Gen.Int[0, 150],
        Gen.Double[0, 0.2],
        Gen.Int[0, 60].Select(n => n switch { 0 => 1, 1 => 2, _ => 0 }),
        (newEpisode, move, status, xys, rp, waypoint, dt, damage) =>
            new GenRow(newEpisode, move, status, xys.Item1, xys.Item2, xys.Item3, rp.Item1, rp.Item2, waypoint, dt, damage));

    private static readonly Gen<GenFile> s_file = Gen.Select(
        Gen.Int[0, 2],
        Gen.Int[0, 3],
        Gen.Int[0, 5].Select(n => n == 0),
        Gen.Int[0, 15].Select(n => n switch { 0 => -1, 1 => 1, _ => 0 }),
        s_row.Array[0, 40],
        Gen.Int[0, 40].Select(n => n == 0),
        Gen.Bool,
        (worker, iteration, legacy, shift, rows, noHeader, wallClock) => new GenFile(worker, iteration, legacy, shift, rows, noHeader, wallClock));

    /// <summary>Generated models of a few simtrace files (also <see cref="StabilityStreamTests"/>'s).</summary>
    internal static Gen<GenModel> Models => s_model;

    private static readonly Gen<GenModel> s_model = Gen.Select(
        Gen.Int[0, 3].Select(n => n == 0),
        Gen.Int[0, 1].Select(n => n == 0 ? 1 : 3),
        s_file.Array[1, 8],
        (evaluation, workers, files) => new GenModel(evaluation, workers, DistinctPaths(files, workers)));

    /// <summary>One file per (worker, iteration): a second one would overwrite the first on disk.</summary>
    private static GenFile[] DistinctPaths(GenFile[] files, int workers) =>
        [.. files.GroupBy(f => (Math.Min(f.Worker, workers - 1), f.Iteration)).Select(g => g.First())];
}
