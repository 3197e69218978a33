using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Rewards;

/// <summary>
/// The <c>params</c> dictionary the simulator passes to a reward function, as typed values (spec 9.1, computed as 9.3).
/// </summary>
/// <remarks>
/// Logs carry no other cars or obstacles, so the object keys hold the simulator's defaults for a track without objects:
/// <c>closest_objects</c> [0, 0], empty lists and <c>object_in_camera</c> false.
/// </remarks>
public sealed class RewardParams
{
    /// <summary><c>x</c>: the model point (0.14 m ahead of the car's centre), metres; the logged <c>X</c>.</summary>
    public double X { get; init; }

    /// <summary><c>y</c>: the model point, metres; the logged <c>Y</c>.</summary>
    public double Y { get; init; }

    /// <summary><c>heading</c>: yaw, degrees in (−180, 180]; the logged <c>yaw</c>.</summary>
    public double Heading { get; init; }

    /// <summary><c>speed</c>: the chosen action's speed, m/s.</summary>
    public double Speed { get; init; }

    /// <summary><c>steering_angle</c>: the chosen action's steering, degrees, positive = left.</summary>
    public double SteeringAngle { get; init; }

    /// <summary><c>progress</c>: lap completion, percent; the logged value.</summary>
    public double Progress { get; init; }

    /// <summary><c>steps</c>: the episode's step counter; a float in the simulator (2.0 at the first reward call of a training episode).</summary>
    public double Steps { get; init; }

    /// <summary><c>track_length</c>: centre-line length, metres.</summary>
    public double TrackLength { get; init; }

    /// <summary><c>track_width</c>: distance between the border points nearest to the car's foot point on the centre line, metres.</summary>
    public double TrackWidth { get; init; }

    /// <summary><c>waypoints</c>: the centre line in driving order (closing duplicate included).</summary>
    public IReadOnlyList<TrackPoint> Waypoints { get; init; } = [];

    /// <summary><c>closest_waypoints</c>: the waypoint at or behind the car along the centre line, and the one after it.</summary>
    public (int Previous, int Next) ClosestWaypoints { get; init; }

    /// <summary><c>distance_from_center</c>: distance to the centre polyline, metres.</summary>
    public double DistanceFromCenter { get; init; }

    /// <summary><c>is_left_of_center</c>: the car is left of the centre line in the driving direction.</summary>
    public bool IsLeftOfCenter { get; init; }

    /// <summary><c>all_wheels_on_track</c>: the logged flag.</summary>
    public bool AllWheelsOnTrack { get; init; }

    /// <summary><c>is_offtrack</c>: the step's status is <c>off_track</c>.</summary>
    public bool IsOfftrack { get; init; }

    /// <summary><c>is_crashed</c>: the step's status is <c>crashed</c>.</summary>
    public bool IsCrashed { get; init; }

    /// <summary><c>is_reversed</c>: the run drove the track in the reverse direction (configuration, not the <c>reversed</c> status).</summary>
    public bool IsReversed { get; init; }

    /// <summary><c>projection_distance</c>: the car's distance along the centre line from waypoint 0, metres.</summary>
    public double ProjectionDistance { get; init; }

    /// <summary>The scalar keys and <c>closest_waypoints</c> as Python would print them (waypoints and object keys left out).</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{{'x': {Py(X)}, 'y': {Py(Y)}, 'heading': {Py(Heading)}, 'speed': {Py(Speed)}, 'steering_angle': {Py(SteeringAngle)}, " +
        $"'progress': {Py(Progress)}, 'steps': {Py(Steps)}, 'track_length': {Py(TrackLength)}, 'track_width': {Py(TrackWidth)}, " +
        $"'closest_waypoints': [{ClosestWaypoints.Previous}, {ClosestWaypoints.Next}], 'distance_from_center': {Py(DistanceFromCenter)}, " +
        $"'is_left_of_center': {Py(IsLeftOfCenter)}, 'all_wheels_on_track': {Py(AllWheelsOnTrack)}, 'is_offtrack': {Py(IsOfftrack)}, " +
        $"'is_crashed': {Py(IsCrashed)}, 'is_reversed': {Py(IsReversed)}, 'projection_distance': {Py(ProjectionDistance)}}}");

    private static string Py(bool value) => value ? "True" : "False";

    // Python's repr of a float: the shortest digits that read back the same value, written plainly while the decimal point
    // is within 16 digits of them (1e-4 up to below 1e16, whole numbers with ".0"), else as 1e-05, 1.5e+300.
    private static string Py(double value)
    {
        if (!double.IsFinite(value))
        {
            return double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var sign = text.StartsWith('-') ? "-" : "";
        text = text.TrimStart('-');
        var e = text.IndexOf('E', StringComparison.Ordinal);
        var exponent = e < 0 ? 0 : int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? text : text[..e];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;
        var significant = digits.TrimStart('0');
        point -= digits.Length - significant.Length;
        digits = significant.TrimEnd('0');
        if (digits.Length == 0)
        {
            return sign + "0.0";
        }

        if (point <= -4 || point > 16)
        {
            var power = point - 1;
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{digits[0]}{(digits.Length > 1 ? "." + digits[1..] : "")}e{(power < 0 ? '-' : '+')}{Math.Abs(power):00}");
        }

        return sign + (point <= 0
            ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length) + ".0" : digits[..point] + "." + digits[point..]);
    }
}
