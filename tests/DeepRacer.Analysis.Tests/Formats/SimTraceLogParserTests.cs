using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Formats;

public class SimTraceLogParserTests
{
    private static async Task<StepTable> LoadLogText(string text, StepTableKind kind = StepTableKind.Training)
    {
        using var dir = new TempDir();
        var path = dir.Write("test-robomaker.log", text);
        using var log = await DeepRacerLog.OpenAsync(path);
        Assert.Equal(FolderType.SingleFile, log.FolderType);
        return await log.LoadLogsAsync(kind);
    }

    [Fact]
    public async Task LoadLogs_ConsoleEvaluationLogs_AllTrialsLoad()
    {
        var steps = await Samples.Load("sample-console-logs", StepTableKind.Evaluation, logs: true);
        // grep -c SIM_TRACE_LOG: 737 + 742; all lines have 17 fields (python split)
        Assert.Equal(1479, steps.RowCount);
        Assert.Equal(0, steps.Report.BadLineCount);
        // stream = ts14 of the log file name, not of the simtrace folder
        Assert.Equal(["20220612082853", "20220612083839"], steps.Streams);
        var episodes = EpisodeTable.Aggregate(steps);
        Assert.Equal(6, episodes.RowCount);
        // python on the log lines: evaluation-20220612082853 trial 1 has 244 rows, tstamp span 16.199
        var s = episodes.Get<string>("stream").ToArray();
        var ep = episodes.Episode.ToArray();
        var row = Enumerable.Range(0, episodes.RowCount).Single(i => s[i] == "20220612082853" && ep[i] == 1);
        Assert.Equal(244, episodes.Steps[row]);
        Assert.Equal(16.199, episodes.Time[row], 1e-9);
        Assert.Equal(6, episodes.Complete.ToArray().Sum());
    }

    [Fact]
    public async Task LoadLogs_ConsoleLeaderboardLogs_AllTrialsLoad()
    {
        var steps = await Samples.Load("sample-console-logs", StepTableKind.Leaderboard, logs: true);
        // grep -c SIM_TRACE_LOG: 725 + 735
        Assert.Equal(1460, steps.RowCount);
        Assert.Equal(["20220703172842", "20220703174103"], steps.Streams);
        var episodes = EpisodeTable.Aggregate(steps);
        Assert.Equal(6, episodes.RowCount);
        // The leaderboard runs are continuous laps: trials 1 and 2 start with in_progress at steps 245 / 492
        // (python on the log lines). With spec 6.1 the gap goes into the next trial: trial 1 of 20220703172842
        // has 247 rows and time 16.469 (16.399 within the trial + the 0.07 s gap).
        var s = episodes.Get<string>("stream").ToArray();
        var ep = episodes.Episode.ToArray();
        var row = Enumerable.Range(0, episodes.RowCount).Single(i => s[i] == "20220703172842" && ep[i] == 1);
        Assert.Equal(247, episodes.Steps[row]);
        Assert.Equal(16.469, episodes.Time[row], 1e-9);
        Assert.Equal(17.609330153896668, episodes.Dist[row], 1e-4);
        var last = Enumerable.Range(0, episodes.RowCount).Single(i => s[i] == "20220703174103" && ep[i] == 2);
        Assert.Equal(16.469, episodes.Time[last], 1e-9);
    }

    [Fact]
    public async Task LoadLogs_DroaEvaluationLog_Loads()
    {
        var steps = await Samples.Load("sample-droa-solution-logs", StepTableKind.Evaluation, logs: true);
        Assert.Equal(1302, steps.RowCount); // grep -c SIM_TRACE_LOG (19 fields each)
        Assert.Equal(["deepracerindy-evaluation-9oJ3QbS0SYm7Iag"], steps.Streams);
        Assert.True(steps.HasWallClock);
        var episodes = EpisodeTable.Aggregate(steps);
        Assert.Equal(3, episodes.RowCount);
        Assert.Equal([459, 422, 421], episodes.Steps.ToArray()); // python: rows per episode
        Assert.Equal([1, 0, 0], episodes.Get<int>("off_track").ToArray());
    }

    [Fact]
    public async Task LoadLogs_DroaTrainingLog_SameEpisodesAsSimtrace()
    {
        var fromLog = EpisodeTable.Aggregate(await Samples.Load("sample-droa-solution-logs", StepTableKind.Training, logs: true));
        var fromCsv = EpisodeTable.Aggregate(await Samples.Training("sample-droa-solution-logs"));
        // python: the log has 846 SIM_TRACE_LOG lines for episodes 0..39, like the CSVs
        Assert.Equal(40, fromLog.RowCount);
        var compared = 0;
        for (var i = 0; i < fromCsv.RowCount; i++)
        {
            var logEpisodes = fromLog.Episode.ToArray();
            var j = Array.IndexOf(logEpisodes, fromCsv.Episode[i]);
            Assert.True(j >= 0);
            Assert.Equal(fromCsv.Get<int>("iteration")[i], fromLog.Get<int>("iteration")[j]); // 20 episodes per iteration in both
            Assert.Equal(fromCsv.Steps[i], fromLog.Steps[j]);
            Assert.Equal(fromCsv.Time[i], fromLog.Time[j]); // tstamp is printed at full precision in both
            Assert.Equal(fromCsv.Progress[i], fromLog.Progress[j], 1e-4);
            compared++;
        }

        Assert.Equal(40, compared);
        // python on the log: episode 25 -> 40 rows, time 2.5730000000000075, progress 7.1502
        var e25 = Array.IndexOf(fromLog.Episode.ToArray(), 25);
        Assert.Equal(2.5730000000000075, fromLog.Time[e25], 1e-9);
        Assert.Equal(7.1502, fromLog.Progress[e25], 1e-9);
    }

    [Fact]
    public async Task LoadLogs_Legacy15Fields_RadiansToDegreesAndFalseStartDropped()
    {
        // 2019 shape: episode,steps(from 0),x,y,yaw(rad),steer(rad),speed,action,reward,done,on_track,progress,wp,track_len,wall clock.
        // Episode 0 starts (steps 0, 1), then restarts at step 0 ten seconds later: only the restart's 3 rows stay.
        const string text = """
            SIM_TRACE_LOG:0,0,1.0,2.0,0.0,0.0,1.0,0,0.0,False,True,0.5,1,17.71,1560000000.0
            SIM_TRACE_LOG:0,1,1.0,2.0,0.0,0.0,1.0,0,0.0,False,True,0.5,1,17.71,1560000000.1
            SIM_TRACE_LOG:0,0,1.0,2.0,1.5707963267948966,0.5235987755982988,1.0,3,0.0,False,True,0.5,1,17.71,1560000010.0
            SIM_TRACE_LOG:0,1,1.3,2.4,1.5707963267948966,-0.5235987755982988,2.0,4,1.0,False,True,1.0,2,17.71,1560000010.5
            SIM_TRACE_LOG:0,2,1.3,3.4,1.5707963267948966,0.0,2.0,5,2.0,True,False,2.0,3,17.71,1560000011.0
            SIM_TRACE_LOG:1,0,5.0,5.0,3.141592653589793,0.0,1.0,0,0.0,False,True,0.1,9,17.71,1560000020.0
            SIM_TRACE_LOG:1,1,5.0,6.0,3.141592653589793,0.0,1.0,0,1.0,True,True,0.2,9,17.71,1560000020.25

            """;
        var steps = await LoadLogText(text);
        Assert.Equal(5, steps.RowCount);
        Assert.Equal([0, 0, 0, 1, 1], steps.Episode.ToArray());
        Assert.Equal([0, 1, 2, 0, 1], steps.Steps.ToArray());
        Assert.Equal(90f, steps.Yaw[0], 1e-3f); // pi/2 rad
        Assert.Equal(30f, steps.SteeringAngle[0], 1e-3f); // pi/6 rad
        Assert.Equal(-30f, steps.SteeringAngle[1], 1e-3f);
        Assert.Equal(180f, steps.Yaw[3], 1e-3f);
        Assert.Equal(EpisodeStatus.Prepare, steps.Status[0]);
        Assert.False(steps.OnTrack[2]);
        Assert.True(steps.Done[2]);
        var episodes = EpisodeTable.Aggregate(steps);
        Assert.Equal(2, episodes.RowCount);
        Assert.Equal(3, episodes.Steps[0]);
        Assert.Equal(1.0, episodes.Time[0], 1e-6); // 1560000011.0 - 1560000010.0: the idle gap of the false start is gone
        Assert.Equal(1.5, episodes.Dist[0], 1e-5); // 0.5 (3-4-5 scaled) + 1.0
        Assert.Equal(0.25, episodes.Time[1], 1e-6);
    }

    [Fact]
    public async Task LoadLogs_18And19FieldsAndRos2Prefix_WallClockAndStatusRead()
    {
        const string text = """
            [download_params_and_roslaunch_agent_node-1] [agent-9] SIM_TRACE_LOG:0,1,0.2078,-2.1730,179.9865,15.00,1.50,8,0.0000,False,True,0.2333,0,60.00,36.721000000000004,prepare,0.00,0,1772822267.7927
            [download_params_and_roslaunch_agent_node-1] [agent-9] SIM_TRACE_LOG:0,2,0.2078,-2.1730,179.9865,20.00,1.25,9,0.2333,False,True,0.2333,0,60.00,36.75,in_progress,0.00,0,1772822267.8575
            SIM_TRACE_LOG:0,3,0.1985,-2.1731,179.9304,20.00,1.25,9,0.0154,True,False,0.2487,0,60.00,36.819,off_track,0.00,1772822267.9550
            some other line
            SIM_TRACE_LOG:1,1,3.1999,0.6831,0.1858,-30.00,1.00,0,0.0000,False,True,0.7913,1,17.71,6.211,prepare,0.00	trailing text after a tab

            """;
        var steps = await LoadLogText(text);
        Assert.Equal(4, steps.RowCount);
        Assert.Equal(0, steps.Report.BadLineCount);
        Assert.Equal(1772822267.7927, steps.WallClock[0], 1e-6); // 19 fields: field 18
        Assert.Equal(1772822267.9550, steps.WallClock[2], 1e-6); // 18 fields: field 17
        Assert.True(double.IsNaN(steps.WallClock[3])); // 17 fields
        Assert.Equal([EpisodeStatus.Prepare, EpisodeStatus.InProgress, EpisodeStatus.OffTrack, EpisodeStatus.Prepare], steps.Status.ToArray());
        Assert.Equal(36.721000000000004, steps.Tstamp[0]);
        Assert.Equal(8, steps.Action[0]);
        Assert.Equal(-30f, steps.SteeringAngle[3]);
    }

    [Fact]
    public async Task LoadLogs_ContinuousActionInLog_ActionIsMinusOne()
    {
        const string text = "SIM_TRACE_LOG:0,2,-1.4432,-1.7133,178.9998,4.99,2.00,[4.987387227077111 2.0],0.8433,False,True,0.8433,1,16.60,36.231,in_progress,0.00,0,1773215987.7159\n";
        var steps = await LoadLogText(text);
        Assert.Equal(1, steps.RowCount);
        Assert.Equal(-1, steps.Action[0]);
        Assert.Equal(4.99f, steps.SteeringAngle[0]);
        Assert.Equal(2f, steps.Speed[0]);
    }

    [Fact]
    public async Task LoadLogs_BadLines_SkippedAndReportedWithLineNumbers()
    {
        const string good1 = "SIM_TRACE_LOG:0,1,3.1999,0.6831,0.1858,-30.00,1.00,0,0.0000,False,True,0.7913,1,17.71,6.211,prepare,0.00";
        const string good2 = "SIM_TRACE_LOG:0,2,3.2999,0.6831,0.1858,-30.00,1.00,0,1.0000,False,True,1.7913,1,17.71,6.311,in_progress,0.00";
        var text = "header line\n"
            + good1 + "\n"                                                                  // line 2
            + "SIM_TRACE_LOG:0,2,3.2999,0.6831,0.1858\n"                                    // line 3: 5 fields
            + "SIM_TRACE_LOG:0,x,3.2999,0.6831,0.1858,-30.00,1.00,0,1.0,False,True,1.7,1,17.71,6.3,in_progress,0.00\n" // line 4: bad step
            + good2 + "\n"                                                                  // line 5
            + "SIM_TRACE_LOG:0,3,3.3999,0.68";                                              // line 6: truncated, no newline
        var steps = await LoadLogText(text);
        Assert.Equal(2, steps.RowCount);
        Assert.Equal(3, steps.Report.BadLineCount);
        Assert.Equal([3L, 4L, 6L], steps.Report.FirstBadLines.Select(b => b.LineNumber).ToArray());
        Assert.All(steps.Report.FirstBadLines, b => Assert.EndsWith("test-robomaker.log", b.File, StringComparison.Ordinal));
        Assert.Contains("truncated", steps.Report.FirstBadLines[2].Reason, StringComparison.Ordinal);
        Assert.Equal([1, 2], steps.Steps.ToArray());
    }
    [Fact]
    public async Task LoadLogs_CrlfLineEnds_LastFieldParsed()
    {
        const string text = "header\r\nSIM_TRACE_LOG:0,1,0.2078,-2.1730,179.9865,15.00,1.50,8,0.0000,False,True,0.2333,0,60.00,36.721,prepare,0.00,0,1772822267.7927\r\n"
            + "SIM_TRACE_LOG:0,2,0.2078,-2.1730,179.9865,15.00,1.50,8,0.0000,True,True,0.2333,0,60.00,36.8,off_track,0.25\r\n";
        var steps = await LoadLogText(text);
        Assert.Equal(0, steps.Report.BadLineCount);
        Assert.Equal(2, steps.RowCount);
        Assert.Equal(1772822267.7927, steps.WallClock[0], 1e-6);
        Assert.Equal(0.25f, steps.PauseDuration[1]);
    }

    [Fact]
    public async Task LoadLogs_MarkerWithoutColon_CountedAsBadLine()
    {
        const string text = "SIM_TRACE_LOG:0,1,0.2078,-2.1730,179.9865,15.00,1.50,8,0.0000,False,True,0.2333,0,60.00,36.721,prepare,0.00\n"
            + "SIM_TRACE_LOG without colon\n";
        var steps = await LoadLogText(text);
        Assert.Equal(1, steps.RowCount);
        Assert.Equal(2, Assert.Single(steps.Report.FirstBadLines).LineNumber);
    }
}
