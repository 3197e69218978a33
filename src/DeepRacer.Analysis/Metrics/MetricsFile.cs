using System.Text.Json;
using DeepRacer.Analysis.Internal;

namespace DeepRacer.Analysis.Metrics;

/// <summary>One element of a training metrics file's <c>metrics</c> array (spec 4.1).</summary>
/// <param name="Episode">1-based training episode number of this worker (for evaluation rows: the last training episode before it).</param>
/// <param name="Trial">1-based position within the iteration (worker 0); DRfC worker files ≥ 1 do not reset it.</param>
/// <param name="Phase">Training or in-training evaluation.</param>
/// <param name="Reward">Total reward of the episode (<c>reward_score</c>).</param>
/// <param name="Completion">Progress reached in percent, truncated to an integer (<c>completion_percentage</c>).</param>
/// <param name="ElapsedMilliseconds"><c>elapsed_time_in_milliseconds</c>.</param>
/// <param name="StartTime">Simulation clock at the episode start, in ms.</param>
/// <param name="Status"><c>episode_status</c>, e.g. <c>Lap complete</c>.</param>
public sealed record MetricsEpisode(int Episode, int Trial, MetricsPhase Phase, double Reward, int Completion, long ElapsedMilliseconds, long StartTime, string Status);

/// <summary>A parsed training metrics JSON file (<c>TrainingMetrics.json</c>, <c>metrics/training/*.json</c>).</summary>
/// <param name="Name">Where it came from, for messages.</param>
/// <param name="Episodes">The elements of its <c>metrics</c> array, in file order.</param>
public sealed record TrainingMetricsFile(string Name, IReadOnlyList<MetricsEpisode> Episodes)
{
    /// <summary>
    /// Parses a training metrics file.
    /// </summary>
    /// <param name="json">The file's bytes.</param>
    /// <param name="name">Its name, used in messages.</param>
    /// <exception cref="IncompleteMetricsException">The file is empty or its JSON stops early (an upload in progress).</exception>
    /// <exception cref="DeepRacerLogException">The file is not JSON, has no <c>metrics</c> array, or holds evaluation metrics.</exception>
    public static TrainingMetricsFile Parse(ReadOnlySpan<byte> json, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (IsBlank(json))
        {
            throw new IncompleteMetricsException(name, $"{name} is empty: a training that just started writes it later", "read it again when it has episodes, or poll it with MetricsWatcher");
        }

        if (IsTruncated(json))
        {
            throw new IncompleteMetricsException(name, $"{name} stops in the middle of its JSON (an upload in progress?)", "read it again when it is complete, or poll it with MetricsWatcher, which retries it");
        }

        JsonText.RequireUtf8(json, name, "download it again");
        JsonDocument document;
        try
        {
            var bytes = json.ToArray();
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new DeepRacerLogException($"{name} is not valid JSON ({e.Message.Split('.')[0]}): give a DeepRacer training metrics file (TrainingMetrics.json or metrics/training/*.json).", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Array)
            {
                throw new DeepRacerLogException($"{name} has no \"metrics\" array, so it is not a DeepRacer metrics file: give TrainingMetrics.json or metrics/training/*.json.");
            }

            var episodes = new List<MetricsEpisode>(metrics.GetArrayLength());
            var index = 0;
            foreach (var e in metrics.EnumerateArray())
            {
                episodes.Add(ParseElement(e, name, index++));
            }

            return new TrainingMetricsFile(name, episodes);
        }
    }

    private static MetricsEpisode ParseElement(JsonElement e, string name, int index)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new DeepRacerLogException($"{name}: metrics element {index} is not an object: give a DeepRacer training metrics file.");
        }

        if (!e.TryGetProperty("phase", out _) && !e.TryGetProperty("episode", out _) && (e.TryGetProperty("crash_count", out _) || e.TryGetProperty("reset_count", out _)))
        {
            // Evaluation metrics have trials and crash counts but no episode, phase or reward (spec 4.2).
            throw new DeepRacerLogException(
                $"{name} holds evaluation metrics (trials with crash counts, no episode or reward): give the training metrics instead (TrainingMetrics.json, metrics/training/*.json) or the model folder.");
        }

        return new MetricsEpisode(
            Int(e, "episode", name, index),
            Int(e, "trial", name, index),
            MetricsPhaseNames.Parse(Text(e, "phase", name, index)) is { } phase
                ? phase
                : throw new DeepRacerLogException($"{name}: \"phase\" of metrics element {index} is neither training nor evaluation: the file is damaged; download it again."),
            Number(e, "reward_score", name, index),
            Int(e, "completion_percentage", name, index),
            (long)Number(e, "elapsed_time_in_milliseconds", name, index),
            (long)Number(e, "start_time", name, index),
            e.TryGetProperty("episode_status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "");
    }

    private static JsonElement Field(JsonElement e, string field, string name, int index) =>
        e.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null
            ? v
            : throw new DeepRacerLogException($"{name}: metrics element {index} has no \"{field}\": give a DeepRacer training metrics file (TrainingMetrics.json or metrics/training/*.json).");

    private static double Number(JsonElement e, string field, string name, int index)
    {
        var v = Field(e, field, name, index);
        return JsonNumber.TryGetFinite(v, out var d)
            ? d
            : throw new DeepRacerLogException($"{name}: \"{field}\" of metrics element {index} is not a finite number: the file is damaged; download it again.");
    }

    private static int Int(JsonElement e, string field, string name, int index)
    {
        var d = Math.Floor(Number(e, field, name, index));
        return d is >= int.MinValue and <= int.MaxValue
            ? (int)d
            : throw new DeepRacerLogException($"{name}: \"{field}\" of metrics element {index} is {d:R}, too large for a count: the file is damaged; download it again.");
    }

    private static string Text(JsonElement e, string field, string name, int index)
    {
        var v = Field(e, field, name, index);
        return v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new DeepRacerLogException($"{name}: \"{field}\" of metrics element {index} is not text: the file is damaged; download it again.");
    }

    private static bool IsBlank(ReadOnlySpan<byte> json) => json.Trim(" \t\r\n"u8).IsEmpty;

    /// <summary>True when the bytes are a valid beginning of a JSON document that stops before its end.</summary>
    private static bool IsTruncated(ReadOnlySpan<byte> json)
    {
        // A reader that is told more bytes may follow stops without error at the end of a valid prefix;
        // real syntax errors still throw.
        var reader = new Utf8JsonReader(json, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    return false;
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return true;
    }
}

/// <summary>A metrics file that is empty or stops mid-JSON, as S3 uploads of a running training can be: try again later.</summary>
public sealed class IncompleteMetricsException : DeepRacerLogException
{
    /// <summary>Creates the exception for a file.</summary>
    public IncompleteMetricsException(string file, string description, string remedy) : base(InputProblem.MetricsIncomplete, description, remedy)
    {
        File = file;
        Subject = file;
    }

    /// <summary>The file, as named in the message.</summary>
    public string File { get; }
}
