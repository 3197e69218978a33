namespace DeepRacer.Analysis.Tables;

/// <summary>The simulator's status of one step (simtrace <c>episode_status</c>).</summary>
/// <remarks>
/// The list is not closed: a status the simulator adds later is kept as its own code
/// (see <see cref="StepTable.StatusName"/>), never folded into a known one.
/// </remarks>
public enum EpisodeStatus : byte
{
    /// <summary>No status in the source (2019-era logs).</summary>
    None = 0,
    /// <summary>First row of an episode: the car is placed, no action has taken effect.</summary>
    Prepare,
    /// <summary>Driving.</summary>
    InProgress,
    /// <summary>Left the track (terminal in training).</summary>
    OffTrack,
    /// <summary>Completed the lap (terminal, progress = 100).</summary>
    LapComplete,
    /// <summary>Crashed into an obstacle or bot car.</summary>
    Crashed,
    /// <summary>Drove the wrong way.</summary>
    Reversed,
    /// <summary>Did not move.</summary>
    Immobilized,
    /// <summary>Ran out of time.</summary>
    TimeUp,
    /// <summary>Held during a penalty or race pause.</summary>
    Pause,
    /// <summary>First code used for statuses this version does not know; see <see cref="StepTable.StatusName"/>.</summary>
    FirstUnknown = 32,
}

/// <summary>Names of <see cref="EpisodeStatus"/> values as the simulator writes them.</summary>
public static class EpisodeStatusNames
{
    private static readonly string[] s_known =
        ["", "prepare", "in_progress", "off_track", "lap_complete", "crashed", "reversed", "immobilized", "time_up", "pause"];

    /// <summary>The simulator's text for a known status; empty for <see cref="EpisodeStatus.None"/>.</summary>
    public static string ToText(EpisodeStatus status) =>
        (int)status < s_known.Length ? s_known[(int)status] : string.Empty;

    /// <summary>Maps the simulator's text to a known status, or returns false.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out EpisodeStatus status)
    {
        // Ordered by frequency in real traces.
        if (text.SequenceEqual("in_progress"u8)) { status = EpisodeStatus.InProgress; return true; }
        if (text.SequenceEqual("prepare"u8)) { status = EpisodeStatus.Prepare; return true; }
        if (text.SequenceEqual("off_track"u8)) { status = EpisodeStatus.OffTrack; return true; }
        if (text.SequenceEqual("lap_complete"u8)) { status = EpisodeStatus.LapComplete; return true; }
        if (text.SequenceEqual("pause"u8)) { status = EpisodeStatus.Pause; return true; }
        if (text.SequenceEqual("crashed"u8)) { status = EpisodeStatus.Crashed; return true; }
        if (text.SequenceEqual("reversed"u8)) { status = EpisodeStatus.Reversed; return true; }
        if (text.SequenceEqual("immobilized"u8)) { status = EpisodeStatus.Immobilized; return true; }
        if (text.SequenceEqual("time_up"u8)) { status = EpisodeStatus.TimeUp; return true; }
        status = EpisodeStatus.None;
        return false;
    }
}
