using System.Globalization;
using System.Text;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Formats;

public class SimtraceCsvParserTests
{
    private const string Header17 = "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration";

    private static async Task<StepTable> LoadCsv(string path, StepTableKind kind = StepTableKind.Training)
    {
        using var log = await DeepRacerLog.OpenAsync(path);
        Assert.Equal(FolderType.SingleFile, log.FolderType);
        return await log.LoadAsync(kind);
    }

    private static async Task<StepTable> LoadCsvText(string text, string name = "3-iteration.csv")
    {
        using var dir = new TempDir();
        return await LoadCsv(dir.Write(name, text));
    }

    [Fact]
    public async Task Load_ContinuousActions_ActionMinusOneSteeringAndSpeedKept()
    {
        // Fixtures/continuous-console.csv: 3 rows written by hand, actions in numpy print form (spec 2.4)
        var steps = await LoadCsv(TestSupport.Fixture("continuous-console.csv"));
        Assert.Equal(3, steps.RowCount);
        Assert.Equal([-1, -1, -1], steps.Action.ToArray().Select(a => (int)a).ToArray());
        Assert.Equal([-21.59045601f, 12.5f, -25.0f], steps.SteeringAngle.ToArray());
        Assert.Equal([3.45621204f, 1.25f, 1.3310375874989868f], steps.Speed.ToArray());
        Assert.Equal([0.0, 1.5, 0.25], steps.Reward.ToArray());
        Assert.Equal([false, false, true], steps.Done.ToArray());
        Assert.Equal([true, true, false], steps.OnTrack.ToArray());
        Assert.Equal(0, steps.Report.BadLineCount);
        var e = EpisodeTable.Aggregate(steps);
        Assert.Equal(0.133, e.Time[0], 1e-9); // 20.335 - 20.202
        Assert.Equal(1.1, e.Dist[0], 1e-4); // 0.1 + 1.0
    }

    [Fact]
    public async Task Load_MixedIntegerAndVectorActions_WholeFileActionIsMinusOne()
    {
        var text = Header17 + "\n"
            + "0,1.0,0,0,0,5.0,1.0,3,0.0,False,True,1.0,1,17.7,10.0,prepare,0.0\n"
            + "0,2.0,0,1,0,5.0,1.0,[5.0 1.0],1.0,True,True,2.0,1,17.7,10.1,off_track,0.0\n";
        var steps = await LoadCsvText(text);
        Assert.Equal([-1, -1], steps.Action.ToArray().Select(a => (int)a).ToArray());
        Assert.Equal([5f, 5f], steps.SteeringAngle.ToArray());
    }

    [Fact]
    public async Task Load_DiscreteActions_ActionKept()
    {
        var text = Header17 + "\n"
            + "0,1.0,0,0,0,5.0,1.0,3,0.0,False,True,1.0,1,17.7,10.0,prepare,0.0\n"
            + "0,2.0,0,1,0,5.0,1.0,11,1.0,True,True,2.0,1,17.7,10.1,off_track,0.0\n";
        var steps = await LoadCsvText(text);
        Assert.Equal([3, 11], steps.Action.ToArray().Select(a => (int)a).ToArray());
        Assert.Equal([3, 3], steps.Iteration.ToArray()); // from the file name 3-iteration.csv
    }

    [Fact]
    public async Task Load_LegacyHeaderWithoutStatusAndPause_Loads()
    {
        const string text = """
            episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp
            0,1.0,0.0,0.0,10.0,30.0,1.0,2,0.0,False,True,0.5,3,17.7,10.0
            0,2.0,0.3,0.4,10.0,-30.0,2.0,4,1.0,False,True,1.5,3,17.7,10.1
            0,3.0,0.3,1.4,10.0,0.0,2.0,1,0.5,True,False,3.0,4,17.7,10.2

            """;
        var steps = await LoadCsvText(text);
        Assert.Equal(3, steps.RowCount);
        Assert.Equal(0, steps.Report.BadLineCount);
        Assert.All(steps.PauseDuration.ToArray(), p => Assert.True(float.IsNaN(p)));
        Assert.False(steps.HasWallClock);
        Assert.Equal([2, 4, 1], steps.Action.ToArray().Select(a => (int)a).ToArray());
        // spec 6.2 synthetic example shape: no prepare row, so the first row's delta is NaN (skipped)
        var e = EpisodeTable.Aggregate(steps);
        Assert.Equal(3, e.Steps[0]);
        Assert.Equal(0.2, e.Time[0], 1e-9);
        Assert.Equal(1.5, e.Dist[0], 1e-6);
        Assert.Equal(3.0, e.Progress[0]);
    }

    [Fact]
    public async Task Load_ColumnsAddressedByName_ReorderedHeaderReadsRightValues()
    {
        const string text = """
            tstamp,episode,steps,Y,X,progress,reward,episode_status,yaw,steer,throttle,action,done,all_wheels_on_track,closest_waypoint,track_len,pause_duration,obstacle_crash_counter,wall_clock
            10.5,7,1.0,2.0,1.0,0.5,0.0,prepare,0.0,0.0,1.0,0,False,True,3,17.7,0.0,0,1772822267.5
            """;
        var steps = await LoadCsvText(text);
        Assert.Equal(1, steps.RowCount);
        Assert.Equal(7, steps.Episode[0]);
        Assert.Equal(1f, steps.X[0]);
        Assert.Equal(2f, steps.Y[0]);
        Assert.Equal(10.5, steps.Tstamp[0]);
        Assert.Equal(1772822267.5, steps.WallClock[0]);
        Assert.Equal(EpisodeStatus.Prepare, steps.Status[0]);
    }

    [Fact]
    public async Task Load_BadLines_SkippedAndReportedWithFileAndLine()
    {
        var text = Header17 + "\n"                                                                    // line 1
            + "0,1.0,0,0,0,5.0,1.0,3,0.0,False,True,1.0,1,17.7,10.0,prepare,0.0\n"                    // line 2
            + "0,2.0,0,1,0,5.0,1.0,3,1.0,False,True,2.0,1,17.7\n"                                     // line 3: 14 fields
            + "0,3.0,0,abc,0,5.0,1.0,3,1.0,False,True,2.0,1,17.7,10.2,in_progress,0.0\n"              // line 4: non-numeric Y
            + "0,4.0,0,2,0,5.0,1.0,3,1.0,True,True,3.0,1,17.7,10.3,off_track,0.0\n"                   // line 5
            + "1,1.0,0,0,0,5.0,1.0,3,0.0,False,Tr";                                                   // line 6: truncated
        using var dir = new TempDir();
        var path = dir.Write("0-iteration.csv", text);
        var steps = await LoadCsv(path);
        Assert.Equal(2, steps.RowCount);
        Assert.Equal([1, 4], steps.Steps.ToArray());
        Assert.Equal(3, steps.Report.BadLineCount);
        Assert.Equal([3L, 4L, 6L], steps.Report.FirstBadLines.Select(b => b.LineNumber).ToArray());
        Assert.All(steps.Report.FirstBadLines, b => Assert.EndsWith("0-iteration.csv", b.File, StringComparison.Ordinal));
        Assert.Contains("truncated", steps.Report.FirstBadLines[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_BadLineInModelFolder_ReportNamesRelativeFile()
    {
        using var dir = new TempDir();
        dir.Write("training-simtrace/0-iteration.csv", Header17 + "\n0,1.0,0,0,0,5.0,1.0,3,0.0,False,True,1.0,1,17.7,10.0,prepare,0.0\n");
        dir.Write("training-simtrace/1-iteration.csv", Header17 + "\n20,1.0,0,0,0,5.0,1.0,3,0.0,False,True,1.0,1,17.7,10.0,prepare,0.0\n20,x\n");
        using var log = await DeepRacerLog.OpenAsync(dir.Path);
        var steps = await log.LoadTrainingTraceAsync();
        Assert.Equal(2, steps.RowCount);
        var bad = Assert.Single(steps.Report.FirstBadLines);
        Assert.Equal(1, steps.Report.BadLineCount);
        Assert.Equal(3, bad.LineNumber);
        Assert.EndsWith("1-iteration.csv", bad.File, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_EmptyCsv_NoRowsAndReported()
    {
        var steps = await LoadCsvText("", "0-iteration.csv");
        Assert.Equal(0, steps.RowCount);
        Assert.Equal(1, steps.Report.BadLineCount);
        Assert.Contains("empty", steps.Report.FirstBadLines[0].Reason, StringComparison.Ordinal);
        Assert.Equal(0, EpisodeTable.Aggregate(steps).RowCount);
    }

    [Fact]
    public async Task Load_HeaderOnlyCsv_NoRowsNoBadLines()
    {
        var steps = await LoadCsvText(Header17 + "\n", "0-iteration.csv");
        Assert.Equal(0, steps.RowCount);
        Assert.Equal(0, steps.Report.BadLineCount);
    }

    [Fact]
    public async Task Load_UnknownStatus_KeptAsText()
    {
        var text = Header17 + "\n0,1.0,0,0,0,5.0,1.0,3,0.0,False,True,1.0,1,17.7,10.0,teleported,0.0\n";
        var steps = await LoadCsvText(text);
        Assert.Equal("teleported", steps.StatusName(steps.Status[0]));
    }

    [Fact]
    public async Task Load_CrlfLineEnds_Loads()
    {
        var text = Header17 + "\r\n0,1.0,0,0,0,5.0,1.0,3,0.0,False,True,1.0,1,17.7,10.0,prepare,0.5\r\n";
        var steps = await LoadCsvText(text);
        Assert.Equal(1, steps.RowCount);
        Assert.Equal(0.5f, steps.PauseDuration[0]);
        Assert.Equal(EpisodeStatus.Prepare, steps.Status[0]);
    }
    [Fact]
    public async Task Load_FuzzedValidRows_ValuesRoundTrip()
    {
        // Fixed seed: 3000 random valid rows in 19-column form; every value is printed here and compared after loading.
        var rng = new Random(4242);
        string[] statuses = ["prepare", "in_progress", "off_track", "lap_complete", "crashed", "reversed", "immobilized", "time_up", "pause"];
        var sb = new StringBuilder(Header17 + ",obstacle_crash_counter,wall_clock\n");
        var expected = new List<(int Episode, int Steps, double X, double Y, double Yaw, double Steer, double Speed, int Action, double Reward, bool Done, bool OnTrack, double Progress, int Wp, double Tstamp, string Status, double Pause, double Wall)>();
        var episode = 0;
        var step = 1;
        for (var n = 0; n < 3000; n++)
        {
            if (rng.Next(40) == 0)
            {
                episode++;
                step = 1;
            }

            var row = (episode, step++, (rng.NextDouble() * 20) - 10, (rng.NextDouble() * 20) - 10, (rng.NextDouble() * 360) - 180,
                Math.Round((rng.NextDouble() * 60) - 30, rng.Next(0, 3)), Math.Round(rng.NextDouble() * 4, 2), rng.Next(0, 30), rng.NextDouble() * Math.Pow(10, rng.Next(-3, 4)),
                rng.Next(2) == 0, rng.Next(2) == 0, rng.Next(5) == 0 ? 100.0 : rng.NextDouble() * 100, rng.Next(0, 300), (n * 0.066) + (rng.NextDouble() * 1e-3),
                statuses[rng.Next(statuses.Length)], rng.Next(4) == 0 ? -0.002 : rng.NextDouble() * 3, 1772822267.0 + (n * 0.0661));
            expected.Add(row);
            sb.Append(CultureInfo.InvariantCulture, $"{row.episode},{row.Item2}.0,{row.Item3:R},{row.Item4:R},{row.Item5:R},{row.Item6:R},{row.Item7:R},{row.Item8},{row.Item9:R},{(row.Item10 ? "True" : "False")},{(row.Item11 ? "True" : "False")},")
              .Append(CultureInfo.InvariantCulture, $"{(row.Item12 == 100 ? "100" : row.Item12.ToString("R", CultureInfo.InvariantCulture))},{row.Item13},17.709159380834848,{row.Item14:R},{row.Item15},{row.Item16:R},0,{row.Item17:R}\n");
        }

        var steps = await LoadCsvText(sb.ToString(), "0-iteration.csv");
        Assert.Equal(0, steps.Report.BadLineCount);
        Assert.Equal(expected.Count, steps.RowCount);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            Assert.Equal(e.Episode, steps.Episode[i]);
            Assert.Equal(e.Steps, steps.Steps[i]);
            Assert.Equal((float)e.X, steps.X[i]);
            Assert.Equal((float)e.Y, steps.Y[i]);
            Assert.Equal((float)e.Yaw, steps.Yaw[i]);
            Assert.Equal((float)e.Steer, steps.SteeringAngle[i]);
            Assert.Equal((float)e.Speed, steps.Speed[i]);
            Assert.Equal(e.Action, steps.Action[i]);
            Assert.Equal(e.Reward, steps.Reward[i]);
            Assert.Equal(e.Done, steps.Done[i]);
            Assert.Equal(e.OnTrack, steps.OnTrack[i]);
            Assert.Equal(e.Progress, steps.Progress[i]);
            Assert.Equal(e.Wp, steps.ClosestWaypoint[i]);
            Assert.Equal(e.Tstamp, steps.Tstamp[i]);
            Assert.Equal(e.Status, steps.StatusName(steps.Status[i]));
            Assert.Equal((float)e.Pause, steps.PauseDuration[i]);
            Assert.Equal(e.Wall, steps.WallClock[i]);
        }
    }
    [Fact]
    public async Task Load_EighteenColumnHeader_ObstacleCounterDroppedNoWallClock()
    {
        var text = Header17 + ",obstacle_crash_counter\n0,1.0,0,0,0,5.0,1.0,3,0.0,False,True,1.0,1,17.7,10.0,prepare,0.0,2\n";
        var steps = await LoadCsvText(text);
        Assert.Equal(1, steps.RowCount);
        Assert.False(steps.HasWallClock);
        Assert.Equal(0f, steps.PauseDuration[0]);
    }
    [Fact]
    public async Task Load_Utf8Bom_HeaderStillRecognised()
    {
        var text = "\uFEFF" + Header17 + "\n0,1.0,0,0,0,5.0,1.0,3,0.0,False,True,1.0,1,17.7,10.0,prepare,0.0\n";
        var steps = await LoadCsvText(text);
        Assert.Equal(0, steps.Report.BadLineCount);
        Assert.Equal(1, steps.RowCount);
    }
    [Fact]
    public async Task Load_ManyBadLinesInSeveralFiles_FirstTenByFileAndLineAndAllCounted()
    {
        // 0-iteration.csv: 20000 good rows, then 12 bad ones (lines 20002..20013); 1-iteration.csv: 12 bad rows at once
        // (lines 2..13). Files are parsed in parallel; the report must still list the first ten by (file, line).
        var first = new StringBuilder(Header17 + "\n");
        for (var i = 1; i <= 20000; i++)
        {
            first.Append(CultureInfo.InvariantCulture, $"0,{i}.0,0,0,0,5.0,1.0,3,0.0,False,True,1.0,1,17.7,10.0,in_progress,0.0\n");
        }

        var second = new StringBuilder(Header17 + "\n");
        for (var i = 0; i < 12; i++)
        {
            first.Append("0,bad\n");
            second.Append("20,bad\n");
        }

        using var dir = new TempDir();
        dir.Write("training-simtrace/0-iteration.csv", first.ToString());
        dir.Write("training-simtrace/1-iteration.csv", second.ToString());
        using var log = await DeepRacerLog.OpenAsync(dir.Path);
        var steps = await log.LoadTrainingTraceAsync();
        Assert.Equal(20000, steps.RowCount);
        Assert.Equal(24, steps.Report.BadLineCount);
        Assert.Equal(LoadReport.MaxReportedBadLines, steps.Report.FirstBadLines.Count);
        Assert.All(steps.Report.FirstBadLines, b => Assert.Equal("training-simtrace/0-iteration.csv", b.File));
        Assert.Equal(Enumerable.Range(20002, 10).Select(i => (long)i).ToArray(), steps.Report.FirstBadLines.Select(b => b.LineNumber).ToArray());
    }
}
