using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DeepRacer.Analysis.Formats;

/// <summary>Collects <see cref="LogMetadata"/> from the non-trace lines of a log, one line at a time.</summary>
internal sealed partial class LogMetadataParser
{
    private readonly string _source;
    private readonly Dictionary<string, string> _job = new(StringComparer.Ordinal);
    private StringBuilder? _hyperparameterBlock;
    private Hyperparameters? _hyperparameters;
    private string? _actionSpaceLine;
    private AgentAndNetwork? _agent;
    private string? _world;
    private string? _effectiveWorld;

    public LogMetadataParser(string source) => _source = source;

    public void Add(ReadOnlySpan<byte> rawLine)
    {
        var line = StripPrefixes(rawLine);
        if (_hyperparameterBlock is not null)
        {
            _hyperparameterBlock.Append(Encoding.UTF8.GetString(line)).Append('\n');
            if (line.IndexOf((byte)'}') >= 0)
            {
                var text = _hyperparameterBlock.ToString();
                _hyperparameterBlock = null;
                try
                {
                    _hyperparameters ??= Hyperparameters.Parse(Encoding.UTF8.GetBytes(text), _source + " (hyper-parameter block)");
                }
                catch (DeepRacerLogException)
                {
                    // A damaged block leaves the hyperparameters unknown; the caller reports that when it needs them.
                }
            }

            return;
        }

        if (line.IndexOf("hyper-parameters"u8) >= 0 && line.IndexOf("Using the following hyper-parameters"u8) >= 0)
        {
            if (_hyperparameters is null)
            {
                _hyperparameterBlock = new StringBuilder();
            }

            return;
        }

        if (line.IndexOf("ction space from file: "u8) is var a and >= 0)
        {
            // The last such line wins (spec 3.5).
            _actionSpaceLine = Encoding.UTF8.GetString(line[(a + "ction space from file: ".Length)..]);
            return;
        }

        if (_agent is null && line.IndexOf("Sensor list ['"u8) >= 0)
        {
            var match = SensorLine().Match(Encoding.UTF8.GetString(line));
            if (match.Success)
            {
                var sensors = match.Groups[1].Value.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(s => s.Trim('\'')).ToArray();
                _agent = new AgentAndNetwork(
                    sensors,
                    match.Groups[2].Value,
                    match.Groups[3].Value,
                    match.Groups[4].Success ? match.Groups[4].Value : null,
                    match.Groups[5].Success ? match.Groups[5].Value : null);
            }

            return;
        }

        if (line.StartsWith(" * /"u8))
        {
            // ROS1 parameter dump: " * /JOB_TYPE: EVALUATION". Values over ~17 characters are cut with "..." there.
            var text = Encoding.UTF8.GetString(line[4..]);
            var colon = text.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && !text.AsSpan(0, colon).Contains('/'))
            {
                var key = text[..colon];
                var value = text[(colon + 2)..].Trim();
                if (!value.EndsWith("...", StringComparison.Ordinal))
                {
                    _job.TryAdd(key, value);
                }

                if (key == "WORLD_NAME")
                {
                    _world ??= value;
                }
            }

            return;
        }

        if (line.StartsWith("{'"u8))
        {
            // The job description dictionary; it has the full values.
            foreach (Match m in DictEntry().Matches(Encoding.UTF8.GetString(line)))
            {
                _job[m.Groups[1].Value] = m.Groups[2].Value;
            }

            if (_job.TryGetValue("WORLD_NAME", out var w))
            {
                _world ??= w;
            }

            return;
        }

        if (line.StartsWith("WORLD_NAME="u8))
        {
            _world ??= Encoding.UTF8.GetString(line["WORLD_NAME=".Length..]).Trim();
            return;
        }

        if (line.IndexOf("world name"u8) >= 0 || line.IndexOf("World name"u8) >= 0)
        {
            var text = Encoding.UTF8.GetString(line);
            if (text.StartsWith("World name passed in YAML: ", StringComparison.Ordinal))
            {
                _world ??= text["World name passed in YAML: ".Length..].Trim();
            }
            else if (text.Contains("Updating world name based on track direction YAML parameter: ", StringComparison.Ordinal))
            {
                _effectiveWorld = text[(text.IndexOf("parameter: ", StringComparison.Ordinal) + "parameter: ".Length)..].Trim();
            }
        }
    }

    public LogMetadata Build()
    {
        ActionSpace? actionSpace = null;
        if (_actionSpaceLine is not null)
        {
            try
            {
                using var doc = JsonDocument.Parse(_actionSpaceLine.Replace('\'', '"'));
                actionSpace = ActionSpace.FromJson(doc.RootElement, _source + " (action space line)");
            }
            catch (Exception e) when (e is JsonException or DeepRacerLogException or InvalidOperationException)
            {
                // Unknown action space; callers that need it say so.
            }
        }

        return new LogMetadata
        {
            Hyperparameters = _hyperparameters,
            ActionSpace = actionSpace,
            Agent = _agent,
            WorldName = _effectiveWorld ?? _world,
            Job = _job,
        };
    }

    /// <summary>Removes ROS2 launch prefixes such as <c>[download_params_and_roslaunch_agent_node-1] [agent-9] </c>.</summary>
    internal static ReadOnlySpan<byte> StripPrefixes(ReadOnlySpan<byte> line)
    {
        var rest = line.TrimStart((byte)' ').TrimStart((byte)'\t');
        while (!rest.IsEmpty && rest[0] == (byte)'[')
        {
            var close = rest.IndexOf((byte)']');
            if (close < 0 || close + 1 >= rest.Length || (rest[close + 1] != (byte)' ' && rest[close + 1] != (byte)'\t'))
            {
                break;
            }

            rest = rest[(close + 1)..].TrimStart((byte)' ').TrimStart((byte)'\t');
        }

        // A line made only of prefixes ("[s3] Successfully ...") keeps its text after them; only brackets followed by space were removed.
        return rest;
    }

    [GeneratedRegex(@"Sensor list (\[['a-zA-Z, _-]+\]), network ([a-zA-Z_]+), simapp_version ([\d.]+)(?:, training_algorithm ([a-zA-Z_]+))?(?:, action_space_type ([a-zA-Z_]+))?")]
    private static partial Regex SensorLine();

    [GeneratedRegex(@"'([A-Z_0-9]+)': '([^']*)'")]
    private static partial Regex DictEntry();
}
