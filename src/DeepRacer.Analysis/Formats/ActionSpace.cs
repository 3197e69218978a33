using System.Text.Json;
using DeepRacer.Analysis.Internal;

namespace DeepRacer.Analysis.Formats;

/// <summary>One discrete action.</summary>
/// <param name="Index">0-based action index.</param>
/// <param name="SteeringAngle">Degrees, positive = left.</param>
/// <param name="Speed">Metres per second.</param>
public sealed record DiscreteAction(int Index, double SteeringAngle, double Speed);

/// <summary>A model's action space: a list of discrete actions, or continuous ranges.</summary>
public sealed record ActionSpace
{
    /// <summary>True for a continuous action space.</summary>
    public bool IsContinuous { get; init; }

    /// <summary>The discrete actions, in index order (empty when continuous).</summary>
    public IReadOnlyList<DiscreteAction> Actions { get; init; } = [];

    /// <summary>Continuous steering range, degrees.</summary>
    public (double Low, double High) SteeringAngle { get; init; }

    /// <summary>Continuous speed range, m/s.</summary>
    public (double Low, double High) Speed { get; init; }

    /// <summary>Reads the <c>action_space</c> value of model_metadata.json or of a log line.</summary>
    /// <exception cref="DeepRacerLogException">The value is neither a list of actions nor a range object, or holds a number out of range.</exception>
    public static ActionSpace FromJson(JsonElement value, string source)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var actions = new List<DiscreteAction>();
            foreach (var a in value.EnumerateArray())
            {
                if (a.ValueKind != JsonValueKind.Object || !a.TryGetProperty("steering_angle", out var steer) || !a.TryGetProperty("speed", out var speed))
                {
                    throw new DeepRacerLogException($"{source}: each action needs steering_angle and speed; fix the action space.");
                }

                // DROA omits "index": list order is the index.
                var index = (long)actions.Count;
                if (a.TryGetProperty("index", out var i) && i.ValueKind != JsonValueKind.Null && !JsonNumber.TryGetWhole(i, 0, MaxIndex, out index))
                {
                    throw new DeepRacerLogException($"{source}: action {actions.Count} has index {i.GetRawText()}, not a whole number from 0 to {MaxIndex}; fix the action space.");
                }

                actions.Add(new DiscreteAction((int)index, Finite(steer, "steering_angle", source), Finite(speed, "speed", source)));
            }

            return new ActionSpace { Actions = actions };
        }

        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("steering_angle", out var s) && value.TryGetProperty("speed", out var v))
        {
            return new ActionSpace
            {
                IsContinuous = true,
                SteeringAngle = (Bound(s, "steering_angle", "low", source), Bound(s, "steering_angle", "high", source)),
                Speed = (Bound(v, "speed", "low", source), Bound(v, "speed", "high", source)),
            };
        }

        throw new DeepRacerLogException($"{source}: the action space is neither a list of actions nor steering/speed ranges.");
    }

    /// <summary>Largest action index (simtrace and log tables hold actions as 16-bit numbers).</summary>
    public const int MaxIndex = short.MaxValue;

    private static double Finite(JsonElement value, string name, string source) =>
        JsonNumber.TryGetFinite(value, out var d) ? d
        : throw new DeepRacerLogException($"{source}: an action's {name} is {value.GetRawText()}, not a finite number; fix the action space.");

    private static double Bound(JsonElement range, string name, string bound, string source) =>
        range.ValueKind == JsonValueKind.Object && range.TryGetProperty(bound, out var b) ? Finite(b, $"{name} {bound}", source)
        : throw new DeepRacerLogException($"{source}: the continuous {name} range has no \"{bound}\"; fix the action space.");

    /// <inheritdoc/>
    public override string ToString() => IsContinuous
        ? FormattableString.Invariant($"continuous: steering {SteeringAngle.Low}..{SteeringAngle.High} deg, speed {Speed.Low}..{Speed.High} m/s")
        : FormattableString.Invariant($"discrete: {Actions.Count} actions");
}
