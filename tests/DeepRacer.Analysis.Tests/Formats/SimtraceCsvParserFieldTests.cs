using System.Text;
using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Formats;

/// <summary>
/// The parser itself, on hand-made rows: field ends found through comma masks of 64 bytes (rows shorter than one vector,
/// fields across block boundaries, an extra comma blocks after the last one), a chunk that must grow, the fill values a
/// header leaves to the parser, and the episodes-only parse (checks the columns it does not store, stores none of them).
/// </summary>
public sealed class SimtraceCsvParserFieldTests
{
    private const string Header17 = "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration";
    private const string Row = "0,2.0,3.5,0.5,0.25,10.0,2.0,5,1.5,False,True,12.5,7,17.5,27.25,in_progress,0.5";

    private sealed class Parsed(StepChunk chunk, BadLineCollector badLines) : IDisposable
    {
        public StepChunk Chunk { get; } = chunk;

        public BadLineCollector BadLines { get; } = badLines;

        public string[] Reasons => [.. BadLines.First.Select(b => b.Reason)];

        public void Dispose() => Chunk.Dispose();
    }

    private static Parsed Parse(string text, bool episodeColumnsOnly = false, Action<StepChunk>? prepare = null)
    {
        var chunk = new StepChunk(16) { File = "0-iteration.csv" };
        prepare?.Invoke(chunk);
        var badLines = new BadLineCollector();
        var parser = new SimtraceCsvParser(chunk, new StatusRegistry(), badLines, episodeColumnsOnly);
        parser.Feed(Encoding.ASCII.GetBytes(text), isFinal: true);
        parser.Complete();
        return new Parsed(chunk, badLines);
    }

    [Fact]
    public void RowsShorterThanOneVector_ParsedAndCounted()
    {
        using var p = Parse("episode,steps,X,Y,progress,tstamp\n0,1,0,0,5,1\n1,2,3,4,6,2\n7,8,9\n1,2,3,4,5,6,7\n");

        Assert.Equal(2, p.Chunk.Count);
        Assert.Equal([0, 1], p.Chunk.Episode.AsSpan(2).ToArray());
        Assert.Equal([0f, 3f], p.Chunk.X.AsSpan(2).ToArray());
        Assert.Equal([0f, 4f], p.Chunk.Y.AsSpan(2).ToArray());
        Assert.Equal([5.0, 6.0], p.Chunk.Progress.AsSpan(2).ToArray());
        Assert.Equal([1.0, 2.0], p.Chunk.Tstamp.AsSpan(2).ToArray());
        Assert.Equal(["expected 6 fields, found 3", "expected 6 fields, found more"], p.Reasons);
    }

    [Fact]
    public void FieldsAcrossBlocks_EndsFoundInEveryBlock()
    {
        // A 70-character X and a 70-character last field put field ends in three different 64-byte blocks.
        var longX = "3." + new string('0', 67) + "1";
        var longPause = "0.5" + new string('0', 67);
        var row = $"4,2.0,{longX},0.5,0.25,10.0,2.0,5,1.5,False,True,12.5,7,17.5,27.25,in_progress,{longPause}";

        using var p = Parse($"{Header17}\n{row}\n{row},extra\n{Row},{new string('9', 80)}\n");

        Assert.Equal(1, p.Chunk.Count);
        Assert.Equal(4, p.Chunk.Episode[0]);
        Assert.Equal(3f, p.Chunk.X[0]);
        Assert.Equal(0.5f, p.Chunk.Y[0]);
        Assert.Equal(27.25, p.Chunk.Tstamp[0]);
        Assert.Equal(0.5f, p.Chunk.PauseDuration.Get(0));
        Assert.Equal(["expected 17 fields, found more", "expected 17 fields, found more"], p.Reasons);
    }

    [Fact]
    public void MoreRowsThanTheChunkHolds_ChunkGrows()
    {
        var rows = Enumerable.Range(1, 40).Select(s => Row.Replace("0,2.0,", $"0,{s}.0,", StringComparison.Ordinal));

        using var p = Parse(Header17 + "\n" + string.Join('\n', rows) + "\n");

        Assert.Equal(40, p.Chunk.Count);
        Assert.Equal(Enumerable.Range(1, 40).ToArray(), p.Chunk.Steps.AsSpan(40).ToArray());
        Assert.Equal(0, p.BadLines.Count);
    }

    [Fact]
    public void HeaderWithoutWallClock_WallClockFilledWithNaN()
    {
        using var without = Parse($"{Header17}\n{Row}\n{Row}\n");
        using var with = Parse($"{Header17},wall_clock\n{Row},1700000000.5\n{Row},\n");

        Assert.True(double.IsNaN(without.Chunk.WallClock[0]) && double.IsNaN(without.Chunk.WallClock[1]));
        Assert.False(without.Chunk.HasWallClock);
        Assert.Equal(1700000000.5, with.Chunk.WallClock[0]);
        Assert.True(double.IsNaN(with.Chunk.WallClock[1])); // empty: missing, not an error
        Assert.True(with.Chunk.HasWallClock);
        Assert.Equal(0, with.BadLines.Count);
    }

    [Theory]
    [InlineData("yaw")]
    [InlineData("steer")]
    [InlineData("throttle")]
    [InlineData("action")]
    [InlineData("reward")]
    [InlineData("all_wheels_on_track")]
    [InlineData("track_len")]
    [InlineData("pause_duration")]
    [InlineData("episode_status")]
    public void OneOptionalColumnMissing_ItsFillValue(string missing)
    {
        // With a wall clock, the missing column alone decides that rows need fill values.
        var columns = (Header17 + ",wall_clock").Split(',');
        var values = (Row + ",1700000000.5").Split(',');
        var keep = Enumerable.Range(0, columns.Length).Where(i => columns[i] != missing).ToArray();

        using var p = Parse(string.Join(',', keep.Select(i => columns[i])) + "\n" + string.Join(',', keep.Select(i => values[i])) + "\n");

        Assert.Equal(1, p.Chunk.Count);
        var c = p.Chunk;
        Assert.Equal(missing == "yaw", float.IsNaN(c.Yaw[0]));
        Assert.Equal(missing == "steer", float.IsNaN(c.SteeringAngle[0]));
        Assert.Equal(missing == "throttle", float.IsNaN(c.Speed[0]));
        Assert.Equal(missing == "action" ? -1 : 5, c.Action[0]);
        Assert.Equal(missing == "reward", double.IsNaN(c.Reward[0]));
        Assert.True(c.OnTrack[0]); // the row says True, and so does the fill value
        Assert.Equal(missing == "track_len", float.IsNaN(c.TrackLen.Get(0)));
        Assert.Equal(missing == "pause_duration", float.IsNaN(c.PauseDuration.Get(0)));
        Assert.Equal(missing == "episode_status" ? EpisodeStatus.None : EpisodeStatus.InProgress, c.Status[0]);
    }

    [Fact]
    public void OnTrackMissing_FilledTrue()
    {
        var row = Row.Replace("False,True,", "True,", StringComparison.Ordinal);
        using var p = Parse($"{Header17.Replace("done,all_wheels_on_track,", "done,", StringComparison.Ordinal)},wall_clock\n{row},1.5\n");

        Assert.True(p.Chunk.Done[0]);
        Assert.True(p.Chunk.OnTrack[0]);
    }

    [Fact]
    public void EpisodesOnly_SkipsTheSameLines_StoresOnlyEpisodeColumns()
    {
        var text = $"{Header17},wall_clock\n"
            + $"{Row},1.5\n"
            + $"{Row.Replace(",0.25,", ",abc,", StringComparison.Ordinal)},1.5\n" // bad yaw
            + $"{Row},\n" // empty wall clock
            + $"{Row},x\n" // bad wall clock
            + $"{Row.Replace(",17.5,", ",nope,", StringComparison.Ordinal)},1.5\n" // bad track_len
            + $"{Row.Replace(",5,1.5,", ",[1.0 2.0],1.5,", StringComparison.Ordinal)},1.5\n"; // continuous action

        using var full = Parse(text);
        using var episodes = Parse(text, episodeColumnsOnly: true, prepare: chunk =>
        {
            chunk.Yaw.AsSpan(16).Fill(99f);
            chunk.SteeringAngle.AsSpan(16).Fill(99f);
        });

        Assert.Equal(3, full.Chunk.Count);
        Assert.Equal(full.Chunk.Count, episodes.Chunk.Count);
        Assert.Equal(full.Reasons, episodes.Reasons);
        Assert.Equal(3, episodes.Reasons.Length);
        Assert.Equal(full.Chunk.Progress.AsSpan(3).ToArray(), episodes.Chunk.Progress.AsSpan(3).ToArray());
        Assert.Equal(full.Chunk.Speed.AsSpan(3).ToArray(), episodes.Chunk.Speed.AsSpan(3).ToArray());
        Assert.Equal(full.Chunk.Reward.AsSpan(3).ToArray(), episodes.Chunk.Reward.AsSpan(3).ToArray());

        // Checked, not stored: the columns keep what the chunk held.
        Assert.Equal([0.25f, 0.25f, 0.25f], full.Chunk.Yaw.AsSpan(3).ToArray());
        Assert.Equal([99f, 99f, 99f], episodes.Chunk.Yaw.AsSpan(3).ToArray());
        Assert.Equal([99f, 99f, 99f], episodes.Chunk.SteeringAngle.AsSpan(3).ToArray());
        Assert.Equal(0, episodes.Chunk.TrackLen.RunCount);
        Assert.Equal(0, episodes.Chunk.PauseDuration.RunCount);
    }

    [Fact]
    public void EpisodesOnly_HeaderWithoutThrottle_SpeedFilledWithNaN()
    {
        var columns = Header17.Split(',');
        var values = Row.Split(',');
        var keep = Enumerable.Range(0, columns.Length).Where(i => columns[i] != "throttle").ToArray();

        using var p = Parse(string.Join(',', keep.Select(i => columns[i])) + "\n" + string.Join(',', keep.Select(i => values[i])) + "\n", episodeColumnsOnly: true);

        Assert.Equal(1, p.Chunk.Count);
        Assert.True(float.IsNaN(p.Chunk.Speed[0]));
        Assert.Equal(1.5, p.Chunk.Reward[0]);
    }

    [Fact]
    public void HeaderMissingX_EveryRowSkipped_WithTheMissingColumnNamed()
    {
        using var p = Parse(Header17.Replace(",X,", ",x_pos,", StringComparison.Ordinal) + $"\n{Row}\n{Row}\n");

        Assert.Equal(0, p.Chunk.Count);
        Assert.Equal(3, p.BadLines.Count);
        Assert.Equal(
            ["not a simtrace header: missing column(s) X", "skipped: the file's header is not a simtrace header", "skipped: the file's header is not a simtrace header"],
            p.Reasons);
    }
}
