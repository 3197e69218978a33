using System.Text.Json;
using DeepRacer.Analysis.Internal;

namespace DeepRacer.Analysis.Formats;

/// <summary>The sensors, network and algorithm a model was trained with (the reference's <c>agent_and_network()</c>).</summary>
/// <param name="SensorList">Sensors, e.g. <c>FRONT_FACING_CAMERA</c>.</param>
/// <param name="Network">Network, e.g. <c>DEEP_CONVOLUTIONAL_NETWORK_SHALLOW</c>.</param>
/// <param name="SimappVersion">Simapp or metadata version, e.g. <c>4.0</c>.</param>
/// <param name="TrainingAlgorithm"><c>clipped_ppo</c> or <c>sac</c>, when known.</param>
/// <param name="ActionSpaceType"><c>discrete</c> or <c>continuous</c>, when known.</param>
public sealed record AgentAndNetwork(
    IReadOnlyList<string> SensorList,
    string? Network,
    string? SimappVersion,
    string? TrainingAlgorithm,
    string? ActionSpaceType);

/// <summary><c>model/model_metadata.json</c>.</summary>
/// <param name="ActionSpace">The action space.</param>
/// <param name="Agent">Sensors, network, version and algorithm.</param>
public sealed record ModelMetadata(ActionSpace? ActionSpace, AgentAndNetwork Agent)
{
    /// <summary>Parses model_metadata.json.</summary>
    /// <exception cref="DeepRacerLogException">The file is not valid JSON or not an object.</exception>
    public static ModelMetadata Parse(ReadOnlySpan<byte> json, string source)
    {
        JsonText.RequireUtf8(json, source, "fix or remove the file");
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = true });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DeepRacerLogException($"{source}: model metadata must be a JSON object; fix or remove the file.");
            }

            var actionSpace = root.TryGetProperty("action_space", out var a) ? ActionSpace.FromJson(a, source) : null;
            var sensors = root.TryGetProperty("sensor", out var s) && s.ValueKind == JsonValueKind.Array
                ? s.EnumerateArray().Select(x => x.GetString() ?? "").ToArray()
                : [];
            var agent = new AgentAndNetwork(
                sensors,
                Text(root, "neural_network"),
                Text(root, "version"),
                Text(root, "training_algorithm"),
                Text(root, "action_space_type") ?? (actionSpace is { IsContinuous: true } ? "continuous" : "discrete"));
            return new ModelMetadata(actionSpace, agent);
        }
        catch (JsonException e)
        {
            throw new DeepRacerLogException($"{source}: bad JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {Hyperparameters.FirstLine(e.Message)} Fix or remove the file.", e);
        }
        catch (InvalidOperationException e)
        {
            throw new DeepRacerLogException($"{source}: unexpected value type ({e.Message}); fix or remove the file.", e);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;
}
