using DeepRacer.Analysis.Internal;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Formats;

/// <summary>
/// Parses a robomaker / simulation log: every <c>SIM_TRACE_LOG:</c> line into a chunk (all field counts:
/// 15 for 2019, 17, 18 and 19), every other line into <see cref="LogMetadata"/>.
/// </summary>
internal sealed class SimTraceLogParser : LineParser
{
    private const double DegreesPerRadian = 180.0 / Math.PI;

    private readonly StepChunk _chunk;
    private readonly StatusRegistry _statuses;
    private readonly BadLineCollector _badLines;
    private readonly LogMetadataParser _metadata;
    private int _episodeStartRow;
    private int _lastEpisode = int.MinValue;
    private int _lastSteps;

    public SimTraceLogParser(StepChunk chunk, StatusRegistry statuses, BadLineCollector badLines)
    {
        _chunk = chunk;
        _statuses = statuses;
        _badLines = badLines;
        _metadata = new LogMetadataParser(chunk.File);
    }

    /// <summary>Number of episode restarts dropped (a step counter falling back inside one episode, as in 2019 logs).</summary>
    public int Restarts { get; private set; }

    public LogMetadata Metadata() => _metadata.Build();

    protected override void ParseLine(ReadOnlySpan<byte> line, bool isLastLineWithoutNewline)
    {
        var marker = line.IndexOf("SIM_TRACE_LOG"u8);
        if (marker < 0)
        {
            _metadata.Add(line);
            return;
        }

        var rest = line[(marker + "SIM_TRACE_LOG".Length)..];
        if (rest.IsEmpty || rest[0] != (byte)':')
        {
            _badLines.Add(_chunk.File, LineNumber, "SIM_TRACE_LOG without ':'");
            return;
        }

        rest = rest[1..];
        var tab = rest.IndexOf((byte)'\t');
        if (tab >= 0)
        {
            rest = rest[..tab];
        }

        rest = rest.TrimEnd((byte)' ');
        if (!TryParseTrace(rest, out var reason))
        {
            _badLines.Add(_chunk.File, LineNumber, isLastLineWithoutNewline ? $"truncated last line ({reason})" : reason);
        }
    }

    [SkipLocalsInit]
    private bool TryParseTrace(ReadOnlySpan<byte> text, out string reason)
    {
        Span<Range> fields = stackalloc Range[21];
        var count = SplitFields(text, fields);
        if (count is not (15 or 17 or 18 or 19))
        {
            reason = $"SIM_TRACE_LOG with {count} fields; expected 15, 17, 18 or 19";
            return false;
        }

        if (!Utf8Number.TryParseInt(text[fields[0]], out var episode) || !Utf8Number.TryParseInt(text[fields[1]], out var steps))
        {
            reason = "SIM_TRACE_LOG with a non-numeric episode or step";
            return false;
        }

        var chunk = _chunk;
        if (episode == _lastEpisode && steps < _lastSteps)
        {
            // The step counter fell back inside one episode: a restart (2019 false start). Keep only the restart's rows,
            // or the lap time would include the idle gap.
            chunk.Truncate(_episodeStartRow);
            Restarts++;
        }
        else if (episode != _lastEpisode)
        {
            _episodeStartRow = chunk.Count;
        }

        chunk.EnsureRow();
        var row = chunk.Count;
        var legacy = count == 15;
        var ok =
            Utf8Number.TryParseFloat(text[fields[2]], out chunk.X[row])
            & Utf8Number.TryParseFloat(text[fields[3]], out chunk.Y[row])
            & Utf8Number.TryParseFloat(text[fields[4]], out var yaw)
            & Utf8Number.TryParseFloat(text[fields[5]], out var steering)
            & Utf8Number.TryParseFloat(text[fields[6]], out chunk.Speed[row])
            & Utf8Number.TryParseDouble(text[fields[8]], out chunk.Reward[row])
            & Utf8Number.TryParseDouble(text[fields[11]], out chunk.Progress[row])
            & Utf8Number.TryParseInt(text[fields[12]], out var waypoint)
            & Utf8Number.TryParseFloat(text[fields[13]], out var trackLen)
            & Utf8Number.TryParseDouble(text[fields[14]], out chunk.Tstamp[row]);
        if (!ok)
        {
            reason = "SIM_TRACE_LOG with a non-numeric value";
            return false;
        }

        // Continuous actions print as "[a b]": -1, as the reference.
        chunk.Action[row] = Utf8Number.TryParseInt(text[fields[7]], out var action) && action is >= short.MinValue and <= short.MaxValue ? (short)action : (short)-1;

        // The reference's rule: true unless the text says False.
        chunk.Done[row] = text[fields[9]].IndexOf("False"u8) < 0;
        chunk.OnTrack[row] = text[fields[10]].IndexOf("False"u8) < 0;
        chunk.ClosestWaypoint[row] = (short)Math.Clamp(waypoint, 0, short.MaxValue);
        chunk.TrackLen.Set(row, trackLen);
        chunk.Episode[row] = episode;
        chunk.Steps[row] = steps;
        chunk.Iteration[row] = 0;

        if (legacy)
        {
            // 2019: angles in radians, field 14 is the wall clock, no status. The step-0 row plays the role of "prepare".
            chunk.Yaw[row] = (float)(yaw * DegreesPerRadian);
            chunk.SteeringAngle[row] = (float)(steering * DegreesPerRadian);
            chunk.Status[row] = steps == 0 ? EpisodeStatus.Prepare : EpisodeStatus.None;
            chunk.PauseDuration.Set(row, float.NaN);
            chunk.WallClock[row] = chunk.Tstamp[row];
            chunk.HasWallClock = true;
        }
        else
        {
            chunk.Yaw[row] = yaw;
            chunk.SteeringAngle[row] = steering;
            chunk.Status[row] = _statuses.Resolve(text[fields[15]]);
            if (!Utf8Number.TryParseFloat(text[fields[16]], out var pause))
            {
                reason = "SIM_TRACE_LOG with a non-numeric pause_duration";
                return false;
            }

            chunk.PauseDuration.Set(row, pause);
            chunk.HasPauseDuration = true;
            chunk.WallClock[row] = double.NaN;
            if (count > 17)
            {
                // 18 fields: the reference reads field 17 as the wall clock even where it is the obstacle counter.
                var wall = text[fields[count == 19 ? 18 : 17]];
                if (Utf8Number.TryParseDouble(wall, out var w))
                {
                    chunk.WallClock[row] = w;
                    chunk.HasWallClock = true;
                }
            }
        }

        _lastEpisode = episode;
        _lastSteps = steps;
        chunk.Commit();
        reason = "";
        return true;
    }

    /// <summary>Splits on commas into <paramref name="fields"/>; returns the field count (capped at its length + 1, so "too many" shows).</summary>
    private static int SplitFields(ReadOnlySpan<byte> text, Span<Range> fields)
    {
        var count = 0;
        var start = 0;
        while (true)
        {
            var comma = text[start..].IndexOf((byte)',');
            var end = comma < 0 ? text.Length : start + comma;
            if (count == fields.Length)
            {
                return count + 1;
            }

            fields[count++] = new Range(start, end);
            if (comma < 0)
            {
                return count;
            }

            start = end + 1;
        }
    }
}
