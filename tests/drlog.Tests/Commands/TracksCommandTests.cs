using System.Text.Json;

namespace DrLog.Tests.Commands;

public class TracksCommandTests
{
    [Fact]
    public async Task Tracks_Csv_OneLinePerShippedFile()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("tracks", "--format", "csv");

        Assert.Equal(0, exit);
        var lines = stdout.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("name,display_name,file,length,width,min_width,max_width,waypoints,direction,closed,aliases", lines[0]);
        Assert.Equal(136, lines.Length); // header + 135 files in tracks/
        // python (struct, no numpy): Albert.npy has 344 rows, centre-line length 51.38850795..., clockwise
        var albert = lines.Single(l => l.StartsWith("Albert,", StringComparison.Ordinal)).Split(',');
        Assert.Equal("Yun Speedway", albert[1]);
        Assert.Equal("Albert.npy", albert[2]);
        Assert.Equal(51.38850795, double.Parse(albert[3], System.Globalization.CultureInfo.InvariantCulture), 1e-7);
        Assert.Equal("344", albert[7]);
        Assert.Equal("cw", albert[8]);
        var reinvent = lines.Single(l => l.StartsWith("reinvent_base,", StringComparison.Ordinal));
        Assert.EndsWith(",119,ccw,True,reinvent_wood reinvent_carpet reinvent_concrete reinvent_base_jeremiah", reinvent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tracks_Json_StraightTrackHasNoDirection()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("tracks", "-f", "json");

        Assert.Equal(0, exit);
        var straight = JsonDocument.Parse(stdout).RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "Straight_track");
        Assert.Equal("n/a", straight.GetProperty("direction").GetString());
        Assert.False(straight.GetProperty("closed").GetBoolean());
        Assert.Equal(22, straight.GetProperty("waypoints").GetInt32());
        Assert.Equal(0.6096, straight.GetProperty("width").GetDouble(), 1e-6);
    }

    [Fact]
    public async Task Tracks_Table_ShowsOfficialNames()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("tracks");

        Assert.Equal(0, exit);
        Assert.Contains("Circuit de Barcelona-Catalunya", stdout, StringComparison.Ordinal);
        Assert.Contains("135 row(s)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tracks_BadFormat_IsAUsageError()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("tracks", "--format", "xml");

        Assert.Equal(2, exit);
        Assert.Contains("xml", stderr, StringComparison.Ordinal);
    }
}

public class TracksOfSourceTests
{
    [Fact]
    public async Task Tracks_Drfc1Folder_SaysTheGuessedTrack()
    {
        // sample-drfc-1-logs has only simtrace CSVs (no world name); every row's track_len is 17.709159380834848.
        var (exit, stdout, _) = await CliRunner.RunAsync("tracks", CliRunner.Sample("sample-drfc-1-logs"), "-f", "csv");

        Assert.Equal(0, exit);
        var lines = stdout.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("name,display_name,length,width,waypoints,direction,chosen_by,reason", lines[0]);
        Assert.StartsWith("reinvent_base,re:Invent 2018,17.709159380834848,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",119,ccw,guess,\"track reinvent_base (re:Invent 2018) identified from track_len 17.709 m", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tracks_ConsoleFolder_UsesTheWorldName()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("tracks", CliRunner.Sample("sample-console-logs"), "-f", "csv");

        Assert.Equal(0, exit);
        Assert.Contains(",world_name,track reinvent_base (re:Invent 2018) named by the logs ('reinvent_base')", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tracks_TrackOption_OverridesTheLogs()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("tracks", CliRunner.Sample("sample-console-logs"), "--track", "Smile Speedway CW", "-f", "csv");

        Assert.Equal(0, exit);
        Assert.StartsWith("reInvent2019_track_cw,Smile Speedway CW,", stdout.Split('\n')[1], StringComparison.Ordinal);
        Assert.Contains(",given,", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tracks_UnknownTrack_ExitOneWithNearNames()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("tracks", "--track", "Spain_trak");

        Assert.Equal(1, exit);
        Assert.StartsWith("drlog: No track named 'Spain_trak' (near names: Spain_track", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Tracks_MissingNpyFile_ExitOneNamingTheFile()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("tracks", "--track", "/nowhere/mytrack.npy");

        Assert.Equal(1, exit);
        Assert.StartsWith("drlog: Track file /nowhere/mytrack.npy does not exist", stderr, StringComparison.Ordinal);
    }
}
