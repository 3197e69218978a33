using System.Globalization;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Tests.Tracks;

public class TrackResolverTests
{
    [Theory]
    // DRfC / simulator world names are file names, any case, with or without .npy
    [InlineData("reinvent_base", "reinvent_base")]
    [InlineData("Spain_track", "Spain_track")]
    [InlineData("reInvent2019_wide_cw", "reInvent2019_wide_cw")]
    [InlineData("2022_april_open_ccw.npy", "2022_april_open_ccw")]
    [InlineData("REINVENT_BASE", "reinvent_base")]
    // console display names (spec 8.6), forgiving case, punctuation and spelled-out directions
    [InlineData("re:Invent 2018", "reinvent_base")]
    [InlineData("Smile Speedway", "reInvent2019_track")]
    [InlineData("Ace Speedway CW", "2022_april_open_cw")]
    [InlineData("ace speedway (clockwise)", "2022_april_open_cw")]
    [InlineData("Ace Speedway Counterclockwise", "2022_april_open_ccw")]
    [InlineData("Circuit de Barcelona-Catalunya", "Spain_track")]
    [InlineData("London Loop Training", "Virtual_May19_Train_track")]
    [InlineData("Forever Raceway CW", "2024_reinvent_champ_cw")]
    public void FromName_ConsoleAndDrfcNames_ResolveToTheFile(string name, string file)
    {
        Assert.Equal(file, TrackResolver.FromName(name).Name);
    }

    [Fact]
    public void FromName_DirectionVariantWithoutFile_IsTheBaseTrackDrivenThatWay()
    {
        // Vegas_track is counter-clockwise and has no _cw file: the _cw variant is the same points reversed.
        var ccw = TrackResolver.FromName("Vegas_track_ccw");
        var cw = TrackResolver.FromName("Vegas_track_cw");
        var vegas = TrackCatalog.Find("Vegas_track")!;

        Assert.Same(vegas, ccw);
        Assert.Equal(TrackDirection.Clockwise, cw.Direction);
        Assert.Equal(vegas.CenterLine[0], cw.CenterLine[^1]);
        Assert.Equal(22.551, cw.Length, 1e-3);
        Assert.Equal("Vegas_track_cw", cw.Name);
        Assert.Equal("AWS Summit Raceway CW", cw.DisplayName);
        // The spec's table: AWS Summit Raceway is Vegas_track, so its console CW name works too.
        Assert.Equal(TrackDirection.Clockwise, TrackResolver.FromName("AWS Summit Raceway clockwise").Direction);
    }

    [Fact]
    public void FromName_NpyFilePath_ReadsTheFile()
    {
        var path = Path.Combine(TestSupport.RepoRoot, "tracks", "Albert.npy");
        var t = TrackResolver.FromName(path);
        Assert.Equal("Albert", t.Name);
        Assert.Equal(51.388507950, t.Length, 1e-8);
    }

    [Fact]
    public void FromName_Unknown_ErrorListsNearNames()
    {
        var e = Assert.Throws<DeepRacerLogException>(() => TrackResolver.FromName("reinvent_bse"));
        Assert.StartsWith("No track named 'reinvent_bse' (near names: reinvent_base", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("; give a shipped name (TrackCatalog.All) or an existing .npy file.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(InputProblem.TrackNameUnknown, e.Problem);
        Assert.Equal("reinvent_bse", e.Subject);
        Assert.Equal("reinvent_base", e.Candidates[0]);
        Assert.DoesNotContain("drlog", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownWorldName_SaysTheLogsNamedItAndListsNearNames()
    {
        var e = Assert.Throws<DeepRacerLogException>(() => TrackResolver.Resolve(null, "Spain_trak", null));
        Assert.Contains("The logs name world 'Spain_trak', which is no shipped track (near names: Spain_track", e.Message, StringComparison.Ordinal);
        Assert.Equal(InputProblem.TrackUnknown, e.Problem);
        Assert.Equal("Spain_trak", e.Subject);
        Assert.Contains("Spain_track", e.Candidates);
        Assert.DoesNotContain("--track", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_UnknownWorldNameWithSteps_FallsBackToTheGuessAndSaysSo()
    {
        var steps = await Samples.Training("sample-drfc-1-logs");
        var r = TrackResolver.Resolve(null, "2026_new_track", steps);
        Assert.Equal("reinvent_base", r.Track.Name);
        Assert.Equal(TrackChoice.Guessed, r.Choice);
        Assert.StartsWith("the logs name world '2026_new_track', which is no shipped track; track reinvent_base (re:Invent 2018) identified", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_GivenNameBeatsWorldName()
    {
        var r = TrackResolver.Resolve("Albert", "reinvent_base", null);
        Assert.Equal("Albert", r.Track.Name);
        Assert.Equal(TrackChoice.Given, r.Choice);
    }

    [Fact]
    public async Task Resolve_ConsoleLogWorldName_IsTheTrackTheLogNames()
    {
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample("sample-console-logs"));
        var info = await log.LoadInfoAsync();
        var r = TrackResolver.Resolve(null, info.WorldName, null);
        Assert.Equal("reinvent_base", r.Track.Name);
        Assert.Equal(TrackChoice.WorldName, r.Choice);
    }

    [Fact]
    public async Task Resolve_Drfc1SimtraceOnly_GuessesReinventBaseFromTrackLenAndPositions()
    {
        // The drfc-1 sample has no logs, so no world name; every row has track_len 17.709159380834848 (python csv),
        // which only the five identical reinvent_* files match.
        var steps = await Samples.Training("sample-drfc-1-logs");
        var r = TrackResolver.Resolve(null, null, steps);
        Assert.Equal("reinvent_base", r.Track.Name);
        Assert.Equal(TrackChoice.Guessed, r.Choice);
        Assert.StartsWith("track reinvent_base (re:Invent 2018) identified from track_len 17.709 m and 500 positions", r.Reason, StringComparison.Ordinal);
        Assert.EndsWith("identical layouts: reinvent_wood, reinvent_carpet, reinvent_concrete, reinvent_base_jeremiah", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guess_DroaTraining_IsSpainTrack()
    {
        // python: every droa training row has track_len 59.99785047027138 = Spain_track's centre-line length.
        var steps = await Samples.Training("sample-droa-solution-logs");
        var r = TrackResolver.Guess(steps);
        Assert.NotNull(r);
        Assert.Equal("Spain_track", r.Track.Name);
    }

    [Fact]
    public void Resolve_NothingKnown_SaysWhatToGive()
    {
        var e = Assert.Throws<DeepRacerLogException>(() => TrackResolver.Resolve(null, null, null));
        Assert.Equal("No track known: the logs name no world and have no positions to match; give the track by name or .npy file (TrackCatalog.All lists the shipped ones).", e.Message);
        Assert.Equal(InputProblem.TrackUnknown, e.Problem);
        Assert.Equal("No track known: the logs name no world and have no positions to match", e.Description);
    }

    [Fact]
    public async Task ResolveAsync_DroaExport_UsesTheSimulationLogWorldName()
    {
        // The DROA simulation logs say "World name passed in YAML: Spain_track".
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample("sample-droa-solution-logs"));
        var r = await log.ResolveTrackAsync();
        Assert.Equal("Spain_track", r.Track.Name);
        Assert.Equal(TrackChoice.WorldName, r.Choice);
    }

    [Fact]
    public async Task ResolveAsync_Drfc1_LoadsStepsAndGuesses()
    {
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample("sample-drfc-1-logs"));
        var r = await log.ResolveTrackAsync();
        Assert.Equal("reinvent_base", r.Track.Name);
        Assert.Equal(TrackChoice.Guessed, r.Choice);
    }

    /// <summary>A one-episode simtrace CSV whose car drives along a track's centre line, logging each waypoint index.</summary>
    private static string DriveAlong(TempDir dir, Track track, double trackLen)
    {
        var lines = new List<string> { "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration" };
        for (var i = 0; i < track.WaypointCount - 1; i++)
        {
            var p = track.CenterLine[i];
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"0,{i + 1}.0,{p.X},{p.Y},0.0,0.0,1.0,0,1.0,False,True,{i * 100.0 / track.WaypointCount},{i},{trackLen},{i * 0.1},{(i == 0 ? "prepare" : "in_progress")},0.0"));
        }

        return dir.Write("0-iteration.csv", string.Join("\n", lines) + "\n");
    }

    [Theory]
    // The _cw and _ccw files of a 2022 track have the same length (50.28127719885951, python) and the same points in
    // reverse order; only the logged waypoint indices tell them apart.
    [InlineData("2022_april_open_cw", 50.28127719885951)]
    [InlineData("2022_april_open_ccw", 50.28127719885951)]
    // No length matches (a track_len of 0 as old logs write): all layouts are tried on the positions.
    [InlineData("Albert", 0.0)]
    public async Task Guess_DirectionVariants_AreToldApartByWaypointIndices(string name, double trackLen)
    {
        using var dir = new TempDir();
        var csv = DriveAlong(dir, TrackCatalog.Find(name)!, trackLen);
        using var log = await DeepRacerLog.OpenAsync(csv);
        var steps = await log.LoadTrainingTraceAsync();

        var r = TrackResolver.Guess(steps);

        Assert.NotNull(r);
        Assert.Equal(name, r.Track.Name);
    }

    [Fact]
    public async Task Resolve_PositionsOnNoShippedTrack_ErrorGivesNearestLengths()
    {
        // A car driving a 40 m straight line far from every track, logging track_len 33.3: nothing matches.
        // Spec 8.6 lengths nearest 33.3: 2022_reinvent_champ 33.275 and its _ccw/_cw variants (33.275).
        using var dir = new TempDir();
        var lines = new List<string> { "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration" };
        for (var i = 0; i < 40; i++)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"0,{i + 1}.0,{1000 + i},{1000},0.0,0.0,1.0,0,1.0,False,True,{i},{i},33.3,{i * 0.1},{(i == 0 ? "prepare" : "in_progress")},0.0"));
        }

        using var log = await DeepRacerLog.OpenAsync(dir.Write("0-iteration.csv", string.Join("\n", lines) + "\n"));
        var steps = await log.LoadTrainingTraceAsync();

        var e = Assert.Throws<DeepRacerLogException>(() => TrackResolver.Resolve(null, null, steps));
        Assert.Equal(
            "No track known: the logs name no world and no shipped track matches track_len 33.3 m and the positions " +
            "(nearest lengths: 2022_reinvent_champ 33.275 m, 2022_reinvent_champ_ccw 33.275 m, 2022_reinvent_champ_cw 33.275 m); " +
            "give the track by name or .npy file (TrackCatalog.All lists the shipped ones).",
            e.Message);
        Assert.Equal(["2022_reinvent_champ 33.275 m", "2022_reinvent_champ_ccw 33.275 m", "2022_reinvent_champ_cw 33.275 m"], e.Candidates);
    }
}
