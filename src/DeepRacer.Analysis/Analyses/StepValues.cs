using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Analyses;

/// <summary>Reads a numeric step column by its reference name, for analyses that colour or bin by any column.</summary>
internal static class StepValues
{
    /// <summary>The numeric step columns, by their reference names.</summary>
    public static readonly string[] Names =
    [
        "speed", "reward", "action", "progress", "steering_angle", "yaw", "x", "y", "steps", "closest_waypoint",
        "tstamp", "episode", "iteration", "track_len", "pause_duration", "on_track", "done",
    ];

    /// <summary>A getter of one numeric column.</summary>
    /// <exception cref="DeepRacerLogException">No such numeric column.</exception>
    public static Func<int, double> Getter(StepTable steps, string column) => column switch
    {
        "speed" => i => steps.Speed[i],
        "reward" => i => steps.Reward[i],
        "action" => i => steps.Action[i],
        "progress" => i => steps.Progress[i],
        "steering_angle" => i => steps.SteeringAngle[i],
        "yaw" => i => steps.Yaw[i],
        "x" => i => steps.X[i],
        "y" => i => steps.Y[i],
        "steps" => i => steps.Steps[i],
        "closest_waypoint" => i => steps.ClosestWaypoint[i],
        "tstamp" => i => steps.Tstamp[i],
        "episode" => i => steps.Episode[i],
        "iteration" => i => steps.Iteration[i],
        "track_len" => i => steps.TrackLen[i],
        "pause_duration" => i => steps.PauseDuration[i],
        "on_track" => i => steps.OnTrack[i] ? 1 : 0,
        "done" => i => steps.Done[i] ? 1 : 0,
        _ => throw new DeepRacerLogException($"No numeric step column '{column}'; use one of {string.Join(", ", Names)}."),
    };
}
