using System.Text.Json;
using DeepRacer.Analysis.Internal;

namespace DeepRacer.Analysis.Formats;

/// <summary>Training hyperparameters (<c>ip/hyperparameters.json</c> or a log's hyper-parameter block); unknown keys are kept.</summary>
public sealed class Hyperparameters
{
    private readonly Dictionary<string, JsonElement> _values;

    private Hyperparameters(Dictionary<string, JsonElement> values) => _values = values;

    /// <summary>Every key and value, in file order.</summary>
    public IReadOnlyDictionary<string, JsonElement> Values => _values;

    /// <summary>Episodes per iteration, all workers together (<c>num_episodes_between_training</c>).</summary>
    public int? NumEpisodesBetweenTraining => GetInt("num_episodes_between_training");

    /// <summary>Gradient-descent batch size.</summary>
    public int? BatchSize => GetInt("batch_size");

    /// <summary>Epochs per policy update.</summary>
    public int? NumEpochs => GetInt("num_epochs");

    /// <summary>Learning rate (<c>lr</c>).</summary>
    public double? LearningRate => GetDouble("lr");

    /// <summary>Entropy bonus (<c>beta_entropy</c>).</summary>
    public double? BetaEntropy => GetDouble("beta_entropy");

    /// <summary>Discount factor.</summary>
    public double? DiscountFactor => GetDouble("discount_factor");

    /// <summary>Loss type, e.g. <c>huber</c>.</summary>
    public string? LossType => _values.TryGetValue("loss_type", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>An integer value (a fraction is truncated), or null when absent, not a number or outside the range of int.</summary>
    public int? GetInt(string key) =>
        _values.TryGetValue(key, out var v) && JsonNumber.TryGetFinite(v, out var d) && Math.Truncate(d) is >= int.MinValue and <= int.MaxValue ? (int)d : null;

    /// <summary>A numeric value, or null when absent, not a number or beyond the range of double.</summary>
    public double? GetDouble(string key) =>
        _values.TryGetValue(key, out var v) && JsonNumber.TryGetFinite(v, out var d) ? d : null;

    /// <summary>Parses a hyperparameters JSON object.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Where it came from, for the error message.</param>
    /// <exception cref="DeepRacerLogException">The text is not a JSON object.</exception>
    public static Hyperparameters Parse(ReadOnlySpan<byte> json, string source)
    {
        JsonText.RequireUtf8(json, source, "fix or remove the file");
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new DeepRacerLogException($"{source}: hyperparameters must be a JSON object; fix or remove the file.");
            }

            var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                values[p.Name] = p.Value.Clone();
            }

            return new Hyperparameters(values);
        }
        catch (JsonException e)
        {
            throw new DeepRacerLogException($"{source}: bad JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {FirstLine(e.Message)} Fix or remove the file.", e);
        }
    }

    internal static string FirstLine(string message)
    {
        var i = message.IndexOfAny(['\r', '\n']);
        var line = i < 0 ? message : message[..i];
        // JsonException appends its own location; ours is already in front.
        var at = line.IndexOf(" Path:", StringComparison.Ordinal);
        return at < 0 ? line : line[..at];
    }
}
