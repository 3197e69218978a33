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
