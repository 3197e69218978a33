using System.Text.Json;

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
    /// <exception cref="DeepRacerLogException">The value is neither a list of actions nor a range object.</exception>
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
                var index = a.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : actions.Count;
                actions.Add(new DiscreteAction(index, steer.GetDouble(), speed.GetDouble()));
            }

            return new ActionSpace { Actions = actions };
        }

        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("steering_angle", out var s) && value.TryGetProperty("speed", out var v))
        {
            return new ActionSpace
            {
                IsContinuous = true,
                SteeringAngle = (s.GetProperty("low").GetDouble(), s.GetProperty("high").GetDouble()),
                Speed = (v.GetProperty("low").GetDouble(), v.GetProperty("high").GetDouble()),
            };
        }

        throw new DeepRacerLogException($"{source}: the action space is neither a list of actions nor steering/speed ranges.");
    }

    /// <inheritdoc/>
    public override string ToString() => IsContinuous
        ? FormattableString.Invariant($"continuous: steering {SteeringAngle.Low}..{SteeringAngle.High} deg, speed {Speed.Low}..{Speed.High} m/s")
        : FormattableString.Invariant($"discrete: {Actions.Count} actions");
}
