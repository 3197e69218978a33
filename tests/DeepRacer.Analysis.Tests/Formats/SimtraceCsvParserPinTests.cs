using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Formats;

/// <summary>
/// Pins the simtrace parser's edge rules with small hand-made files: required columns, the fill values for header
/// variants without optional columns (the reference's), the ranges of <c>closest_waypoint</c> and <c>action</c>, rows
/// with too many or too few fields, and an empty <c>wall_clock</c>.
/// </summary>
public sealed class SimtraceCsvParserPinTests
{
    private const string Header = "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration";
    private const string Row0 = "0,1.0,3.5,0.5,0.1,10.0,1.0,5,0.5,False,True,0.8,1,17.7,27.0,prepare,0.0";
    private const string Row1 = "0,2.0,3.6,0.6,0.2,-10.0,2.0,3,1.0,True,False,1.5,2,17.7,27.1,off_track,0.5";

    private static async Task<StepTable> LoadAsync(params string[] lines)
    {
        using var dir = new TempDir();
        var file = dir.Write("0-iteration.csv", string.Join('\n', lines) + "\n");
        using var log = await DeepRacerLog.OpenAsync(file);
        return await log.LoadTrainingTraceAsync();
    }

    [Theory]
    [InlineData("episode")]
    [InlineData("steps")]
    [InlineData("X")]
    [InlineData("Y")]
    [InlineData("progress")]
    [InlineData("tstamp")]
    public async Task Header_MissingARequiredColumn_EveryRowSkippedAndReported(string column)
    {
        var header = string.Join(',', Header.Split(',').Select(c => c == column ? "something_else" : c));

        var steps = await LoadAsync(header, Row0, Row1);

        Assert.Equal(0, steps.RowCount);
        Assert.Equal(3, steps.Report.BadLineCount);
        Assert.Equal($"not a simtrace header: missing column(s) {column}", steps.Report.FirstBadLines[0].Reason);
        Assert.Equal(1, steps.Report.FirstBadLines[0].LineNumber);
        Assert.Equal("skipped: the file's header is not a simtrace header", steps.Report.FirstBadLines[1].Reason);
    }

    [Fact]
    public async Task Header_OnlyRequiredColumns_OptionalOnesGetTheReferenceFillValues()
    {
        var steps = await LoadAsync("episode,steps,X,Y,progress,tstamp", "0,1,3.5,0.5,0.8,27.0", "0,2,3.6,0.6,1.5,27.1");

        Assert.Equal(2, steps.RowCount);
        Assert.Equal(0, steps.Report.BadLineCount);
        Assert.Equal([3.5f, 3.6f], steps.X.ToArray());
        Assert.Equal([1.5, 27.1], [steps.Progress[1], steps.Tstamp[1]]);
        Assert.All(steps.Done.ToArray(), Assert.False);
        Assert.All(steps.OnTrack.ToArray(), Assert.True);
        Assert.All(steps.TrackLen.ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.All(steps.ClosestWaypoint.ToArray(), v => Assert.Equal(0, v));
        Assert.All(steps.Action.ToArray(), v => Assert.Equal(-1, v));
        Assert.All(steps.Reward.ToArray(), v => Assert.True(double.IsNaN(v)));
        Assert.All(steps.Yaw.ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.All(steps.SteeringAngle.ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.All(steps.Speed.ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.All(steps.PauseDuration.ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.All(steps.Status.ToArray(), v => Assert.Equal(EpisodeStatus.None, v));
    }

    [Fact]
    public async Task FullHeader_EveryColumnRead()
    {
        var steps = await LoadAsync(Header, Row0, Row1);

        Assert.Equal(2, steps.RowCount);
        Assert.Equal([1, 2], steps.Steps.ToArray());
        Assert.Equal([0.6f, 0.2f, -10f, 2f], [steps.Y[1], steps.Yaw[1], steps.SteeringAngle[1], steps.Speed[1]]);
        Assert.Equal([5, 3], steps.Action.ToArray().Select(a => (int)a));
        Assert.Equal([0.5, 1.0], steps.Reward.ToArray());
        Assert.Equal([false, true], steps.Done.ToArray());
        Assert.Equal([true, false], steps.OnTrack.ToArray());
        Assert.Equal([1, 2], steps.ClosestWaypoint.ToArray().Select(w => (int)w));
        Assert.Equal(17.7f, steps.TrackLen[0]);
        Assert.Equal([EpisodeStatus.Prepare, EpisodeStatus.OffTrack], steps.Status.ToArray());
        Assert.Equal([0f, 0.5f], steps.PauseDuration.ToArray());
        Assert.False(steps.HasWallClock);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("32768")]
    [InlineData("1.5")]
    public async Task ClosestWaypoint_OutOfRange_LineSkippedWithTheValue(string waypoint)
    {
        var bad = Row1.Replace(",1.5,2,17.7,", $",1.5,{waypoint},17.7,", StringComparison.Ordinal);

        var steps = await LoadAsync(Header, Row0, bad);

        Assert.Equal(1, steps.RowCount);
        var line = Assert.Single(steps.Report.FirstBadLines);
        Assert.Equal(3, line.LineNumber);
        Assert.Equal($"bad value '{waypoint}' in column 13", line.Reason);
    }

    [Fact]
    public async Task ClosestWaypoint_LargestShort_Kept()
    {
        var steps = await LoadAsync(Header, Row0, Row1.Replace(",1.5,2,17.7,", ",1.5,32767,17.7,", StringComparison.Ordinal));

        Assert.Equal(32767, steps.ClosestWaypoint[1]);
    }

    [Theory]
    [InlineData("32768")]
    [InlineData("-32769")]
    [InlineData("0.5")]
    public async Task Action_OutOfShortRangeOrNotAnInteger_WholeFileIsContinuous(string action)
    {
        // The reference's rule (spec 2.4): one non-integer action makes the column -1 for the whole file.
        var steps = await LoadAsync(Header, Row0, Row1.Replace(",2.0,3,1.0,", $",2.0,{action},1.0,", StringComparison.Ordinal));

        Assert.Equal(2, steps.RowCount);
        Assert.Equal([-1, -1], steps.Action.ToArray().Select(a => (int)a));
    }

    [Fact]
    public async Task Action_TwoNonIntegerRows_StillContinuous()
    {
        var steps = await LoadAsync(Header, Row0.Replace(",1.0,5,0.5,", ",1.0,0.5,0.5,", StringComparison.Ordinal), Row1.Replace(",2.0,3,1.0,", ",2.0,0.7,1.0,", StringComparison.Ordinal), Row1);

        Assert.Equal([-1, -1, -1], steps.Action.ToArray().Select(a => (int)a));
    }

    [Fact]
    public async Task Row_ExtraFieldAfterAnEmptyLastField_IsAFieldCountError()
    {
        var steps = await LoadAsync(Header, Row0[..Row0.LastIndexOf(',')] + ",,0.0", Row1);

        Assert.Equal("expected 17 fields, found more", Assert.Single(steps.Report.FirstBadLines).Reason);
    }

    [Fact]
    public async Task Action_ShortRangeEdges_KeptAsNumbers()
    {
        var steps = await LoadAsync(Header, Row0.Replace(",1.0,5,0.5,", ",1.0,-32768,0.5,", StringComparison.Ordinal), Row1.Replace(",2.0,3,1.0,", ",2.0,32767,1.0,", StringComparison.Ordinal));

        Assert.Equal([-32768, 32767], steps.Action.ToArray().Select(a => (int)a));
    }

    [Fact]
    public async Task Row_TooManyOrTooFewFields_SkippedWithTheCount()
    {
        var steps = await LoadAsync(Header, Row0 + ",extra", "0,3.0,3.7", Row1);

        Assert.Equal(1, steps.RowCount);
        Assert.Equal(2, steps.Report.BadLineCount);
        Assert.Equal("expected 17 fields, found more", steps.Report.FirstBadLines[0].Reason);
        Assert.Equal("expected 17 fields, found 3", steps.Report.FirstBadLines[1].Reason);
    }

    [Fact]
    public async Task WallClock_Empty_IsMissingAndTheRowKept_GarbageIsABadLine()
    {
        var steps = await LoadAsync(Header + ",wall_clock", Row0 + ",1650000000.5", Row1 + ",", Row1.Replace("0,2.0,", "0,3.0,", StringComparison.Ordinal) + ",soon");

        Assert.Equal(2, steps.RowCount);
        Assert.True(steps.HasWallClock);
        Assert.Equal(1650000000.5, steps.WallClock[0]);
        Assert.True(double.IsNaN(steps.WallClock[1]));
        Assert.Equal("bad value 'soon' in column 18", Assert.Single(steps.Report.FirstBadLines).Reason);
    }

    [Theory]
    [InlineData("Yes")]
    [InlineData("")]
    public async Task Bool_NotTrueOrFalse_IsABadLine(string value)
    {
        var steps = await LoadAsync(Header, Row0, Row1.Replace(",True,False,", $",{value},False,", StringComparison.Ordinal));

        Assert.Equal(1, steps.RowCount);
        Assert.Equal($"bad value '{value}' in column 10", Assert.Single(steps.Report.FirstBadLines).Reason);
    }

    [Theory]
    [InlineData("true", "1", true)]
    [InlineData("false", "0", false)]
    public async Task Bool_LowerCaseAndDigits_Accepted(string done, string onTrack, bool expected)
    {
        var steps = await LoadAsync(Header, Row0.Replace(",False,True,", $",{done},{onTrack},", StringComparison.Ordinal));

        Assert.Equal(expected, steps.Done[0]);
        Assert.Equal(expected, steps.OnTrack[0]);
    }
}
