using System.Numerics;
using System.Runtime.Intrinsics;
using DeepRacer.Analysis.Internal;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Formats;

/// <summary>
/// Parses a simtrace CSV (<c>N-iteration.csv</c>) into a chunk, addressing columns by header name
/// so every header variant (17, 18, 19 columns, legacy without status) reads the same way.
/// </summary>
internal sealed class SimtraceCsvParser : LineParser
{
    private enum Col : byte
    {
        Ignored,
        Episode,
        Steps,
        X,
        Y,
        Yaw,
        Steer,
        Throttle,
        Action,
        Reward,
        Done,
        OnTrack,
        Progress,
        ClosestWaypoint,
        TrackLen,
        Tstamp,
        Status,
        PauseDuration,
        WallClock,

        // Columns an episodes-only parse checks but does not store (see episodeColumnsOnly).
        CheckNumber,
        CheckNumberOrEmpty,
    }

    private readonly StepChunk _chunk;
    private readonly StatusRegistry _statuses;
    private readonly BadLineCollector _badLines;
    private readonly bool _episodeColumnsOnly;
    private Col[] _columns = [];
    private bool _headerRead;
    private bool _headerBad;
    private bool _fillDefaults = true;

    /// <param name="chunk">Where rows go.</param>
    /// <param name="statuses">The load's status names.</param>
    /// <param name="badLines">The load's skipped lines.</param>
    /// <param name="episodeColumnsOnly">
    /// Store only what episodes are summed from (episode, steps, X, Y, speed, reward, progress, closest waypoint, tstamp, status):
    /// yaw, steering, track length, pause and wall clock are checked, so the same lines are skipped as bad, but not stored.
    /// </param>
    public SimtraceCsvParser(StepChunk chunk, StatusRegistry statuses, BadLineCollector badLines, bool episodeColumnsOnly = false)
    {
        _chunk = chunk;
        _statuses = statuses;
        _badLines = badLines;
        _episodeColumnsOnly = episodeColumnsOnly;
    }

    /// <summary>True when some row's action was not an integer (a continuous action space).</summary>
    public bool HasNonNumericAction { get; private set; }

    /// <summary>Call after the last block: applies the reference's whole-file action rule (spec 2.4).</summary>
    public void Complete()
    {
        if (!_headerRead)
        {
            _badLines.Add(_chunk.File, 1, "empty file: no simtrace header");
        }

        if (HasNonNumericAction)
        {
            _chunk.Action.AsSpan(_chunk.Count).Fill(-1);
        }
    }

    protected override void ParseLine(ReadOnlySpan<byte> line, bool isLastLineWithoutNewline)
    {
        if (!_headerRead)
        {
            _headerRead = true;
            ReadHeader(line);
            return;
        }

        if (_headerBad)
        {
            _badLines.Add(_chunk.File, LineNumber, "skipped: the file's header is not a simtrace header");
            return;
        }

        if (line.IsEmpty)
        {
            return;
        }

        if (!TryParseRow(line, out var reason))
        {
            _badLines.Add(_chunk.File, LineNumber, isLastLineWithoutNewline ? $"truncated last line ({reason})" : reason);
        }
    }

    private void ReadHeader(ReadOnlySpan<byte> line)
    {
        // A UTF-8 byte order mark (files saved by Windows editors) would otherwise hide the first column, "episode".
        if (line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        var columns = new List<Col>();
        foreach (var range in line.Split((byte)','))
        {
            columns.Add(ColumnOf(line[range].Trim((byte)' ')));
        }

        _columns = [.. columns];
        string[] missing = [.. new[] { (Col.Episode, "episode"), (Col.Steps, "steps"), (Col.Tstamp, "tstamp"), (Col.Progress, "progress"), (Col.X, "X"), (Col.Y, "Y") }
            .Where(c => !columns.Contains(c.Item1))
            .Select(c => c.Item2)];
        if (missing.Length > 0)
        {
            _headerBad = true;
            _badLines.Add(_chunk.File, LineNumber, $"not a simtrace header: missing column(s) {string.Join(", ", missing)}");
        }

        _chunk.HasWallClock = columns.Contains(Col.WallClock);
        _chunk.HasPauseDuration = columns.Contains(Col.PauseDuration);

        // Every row sets all of its columns; defaults are only needed for columns the header lacks
        // (a wall clock only where the chunk stores one: attached chunks of a load without any have none).
        Col[] defaulted = [Col.Status, Col.PauseDuration, Col.Yaw, Col.Steer, Col.Throttle, Col.Action, Col.Reward, Col.Done, Col.OnTrack, Col.ClosestWaypoint, Col.TrackLen];
        _fillDefaults = defaulted.Any(c => !columns.Contains(c)) || (_chunk.WallClock.IsAllocated && !_chunk.HasWallClock);
        if (_episodeColumnsOnly)
        {
            // Only the stored columns need their fill values.
            _fillDefaults = new[] { Col.Status, Col.Throttle, Col.Reward, Col.ClosestWaypoint }.Any(c => !columns.Contains(c));
            for (var c = 0; c < _columns.Length; c++)
            {
                _columns[c] = _columns[c] switch
                {
                    Col.Yaw or Col.Steer or Col.TrackLen or Col.PauseDuration => Col.CheckNumber,
                    Col.WallClock => Col.CheckNumberOrEmpty,

                    // Any action text is accepted (a continuous action space writes a list).
                    Col.Action => Col.Ignored,
                    var same => same,
                };
            }
        }
    }

    private static Col ColumnOf(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("episode"u8) => Col.Episode,
        _ when name.SequenceEqual("steps"u8) => Col.Steps,
        _ when name.SequenceEqual("X"u8) || name.SequenceEqual("x"u8) => Col.X,
        _ when name.SequenceEqual("Y"u8) || name.SequenceEqual("y"u8) => Col.Y,
        _ when name.SequenceEqual("yaw"u8) => Col.Yaw,
        _ when name.SequenceEqual("steer"u8) || name.SequenceEqual("steering_angle"u8) => Col.Steer,
        _ when name.SequenceEqual("throttle"u8) || name.SequenceEqual("speed"u8) => Col.Throttle,
        _ when name.SequenceEqual("action"u8) => Col.Action,
        _ when name.SequenceEqual("reward"u8) => Col.Reward,
        _ when name.SequenceEqual("done"u8) => Col.Done,
        _ when name.SequenceEqual("all_wheels_on_track"u8) || name.SequenceEqual("on_track"u8) => Col.OnTrack,
        _ when name.SequenceEqual("progress"u8) => Col.Progress,
        _ when name.SequenceEqual("closest_waypoint"u8) => Col.ClosestWaypoint,
        _ when name.SequenceEqual("track_len"u8) => Col.TrackLen,
        _ when name.SequenceEqual("tstamp"u8) => Col.Tstamp,
        _ when name.SequenceEqual("episode_status"u8) => Col.Status,
        _ when name.SequenceEqual("pause_duration"u8) => Col.PauseDuration,
        _ when name.SequenceEqual("wall_clock"u8) => Col.WallClock,
        _ => Col.Ignored, // obstacle_crash_counter is dropped, as by the reference
    };

    private bool TryParseRow(ReadOnlySpan<byte> line, out string reason)
    {
        var chunk = _chunk;
        chunk.EnsureRow();
        var row = chunk.Count;
        var columns = _columns;
        var rowHasNonNumericAction = false;

        if (_fillDefaults)
        {
            // Columns a header variant lacks get the reference's fill values.
            chunk.Status[row] = EpisodeStatus.None;
            chunk.PauseDuration.Set(row, float.NaN);
            if (chunk.WallClock.IsAllocated)
            {
                chunk.WallClock[row] = double.NaN;
            }

            chunk.Yaw[row] = float.NaN;
            chunk.SteeringAngle[row] = float.NaN;
            chunk.Speed[row] = float.NaN;
            chunk.Action[row] = -1;
            chunk.Reward[row] = double.NaN;
            chunk.Done[row] = false;
            chunk.OnTrack[row] = true;
            chunk.ClosestWaypoint[row] = 0;
            chunk.TrackLen.Set(row, float.NaN);
        }

        // The field ends come from comma masks of 64 bytes at a time, taken as the fields are read.
        var fields = new FieldCursor(line);
        for (var c = 0; c < columns.Length; c++)
        {
            ReadOnlySpan<byte> field;
            if (c < columns.Length - 1)
            {
                if (!fields.TryNext(out field))
                {
                    reason = TooFewFields(columns.Length, c + 1);
                    return false;
                }
            }
            else
            {
                field = fields.Rest;
                if (fields.HasMoreCommas())
                {
                    reason = TooManyFields(columns.Length);
                    return false;
                }
            }

            var ok = true;
            switch (columns[c])
            {
                case Col.Episode:
                    ok = Utf8Number.TryParseInt(field, out chunk.Episode[row]);
                    break;
                case Col.Steps:
                    ok = Utf8Number.TryParseInt(field, out chunk.Steps[row]);
                    break;
                case Col.X:
                    ok = Utf8Number.TryParseFloat(field, out chunk.X[row]);
                    break;
                case Col.Y:
                    ok = Utf8Number.TryParseFloat(field, out chunk.Y[row]);
                    break;
                case Col.Yaw:
                    ok = Utf8Number.TryParseFloat(field, out chunk.Yaw[row]);
                    break;
                case Col.Steer:
                    ok = Utf8Number.TryParseFloat(field, out chunk.SteeringAngle[row]);
                    break;
                case Col.Throttle:
                    ok = Utf8Number.TryParseFloat(field, out chunk.Speed[row]);
                    break;
                case Col.Action:
                    if (Utf8Number.TryParseInt(field, out var action) && action is >= short.MinValue and <= short.MaxValue)
                    {
                        chunk.Action[row] = (short)action;
                    }
                    else
                    {
                        rowHasNonNumericAction = true;
                    }

                    break;
                case Col.Reward:
                    ok = Utf8Number.TryParseDouble(field, out chunk.Reward[row]);
                    break;
                case Col.Done:
                    ok = TryParseBool(field, out chunk.Done[row]);
                    break;
                case Col.OnTrack:
                    ok = TryParseBool(field, out chunk.OnTrack[row]);
                    break;
                case Col.Progress:
                    ok = Utf8Number.TryParseDouble(field, out chunk.Progress[row]);
                    break;
                case Col.ClosestWaypoint:
                    ok = Utf8Number.TryParseInt(field, out var waypoint) && waypoint is >= 0 and <= short.MaxValue;
                    chunk.ClosestWaypoint[row] = (short)waypoint;
                    break;
                case Col.TrackLen:
                    ok = Utf8Number.TryParseFloat(field, out var trackLen);
                    chunk.TrackLen.Set(row, trackLen);
                    break;
                case Col.Tstamp:
                    ok = Utf8Number.TryParseDouble(field, out chunk.Tstamp[row]);
                    break;
                case Col.Status:
                    chunk.Status[row] = _statuses.Resolve(field);
                    break;
                case Col.PauseDuration:
                    ok = Utf8Number.TryParseFloat(field, out var pause);
                    chunk.PauseDuration.Set(row, pause);
                    break;
                case Col.WallClock:
                    // An empty wall clock is "missing", not an error.
                    ok = field.IsEmpty ? SetNaN(ref chunk.WallClock[row]) : Utf8Number.TryParseDouble(field, out chunk.WallClock[row]);
                    break;
                case Col.CheckNumber:
                    ok = Utf8Number.IsNumber(field);
                    break;
                case Col.CheckNumberOrEmpty:
                    ok = field.IsEmpty || Utf8Number.IsNumber(field);
                    break;
                default:
                    break;
            }

            if (!ok)
            {
                reason = BadValue(field, c + 1);
                return false;
            }
        }

        // Only a row that is kept decides the file's action rule: a skipped bad line must not blank the column.
        HasNonNumericAction |= rowHasNonNumericAction;
        chunk.Commit();
        reason = "";
        return true;
    }

    /// <summary>
    /// The fields of a line, left to right. One vector pass marks the commas of 64 bytes at a time, and each field ends at the
    /// mask's next bit: no comma positions are stored and no byte is compared twice.
    /// </summary>
    private ref struct FieldCursor
    {
        private readonly ReadOnlySpan<byte> _line;
        private int _block;
        private ulong _commas;
        private int _start;

        public FieldCursor(ReadOnlySpan<byte> line)
        {
            _line = line;
            _commas = CommaMask(line, 0);
        }

        /// <summary>The text after the last field taken.</summary>
        public readonly ReadOnlySpan<byte> Rest => _line[_start..];

        /// <summary>The field up to the next comma; false when no comma is left.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryNext(out ReadOnlySpan<byte> field)
        {
            if (_commas == 0)
            {
                // A call that returns the new state, so the cursor itself never has its address taken and stays in registers.
                (_commas, _block) = NextBlockWithCommas(_line, _block);
                if (_commas == 0)
                {
                    field = default;
                    return false;
                }
            }

            var comma = _block + BitOperations.TrailingZeroCount(_commas);
            _commas &= _commas - 1;
            field = _line[_start..comma];
            _start = comma + 1;
            return true;
        }

        /// <summary>True when a comma is left after the fields taken.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool HasMoreCommas()
        {
            if (_commas == 0)
            {
                (_commas, _block) = NextBlockWithCommas(_line, _block);
            }

            return _commas != 0;
        }

        /// <summary>The comma mask of the next block after <paramref name="block"/> that has a comma (0 when none is left).</summary>
        private static (ulong Commas, int Block) NextBlockWithCommas(ReadOnlySpan<byte> line, int block)
        {
            while (true)
            {
                block += 64;
                if (block >= line.Length)
                {
                    return (0, block);
                }

                var commas = CommaMask(line, block);
                if (commas != 0)
                {
                    return (commas, block);
                }
            }
        }

        /// <summary>Bit i set when byte <paramref name="at"/> + i of the line is a comma (for the up to 64 bytes from there).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong CommaMask(ReadOnlySpan<byte> line, int at)
        {
            var n = Math.Min(64, line.Length - at);
            ulong mask = 0;
            var k = 0;
            if (Vector128.IsHardwareAccelerated && line.Length >= 16)
            {
                ref var first = ref MemoryMarshal.GetReference(line);
                var comma = Vector128.Create((byte)',');
                for (; k + 16 <= n; k += 16)
                {
                    mask |= (ulong)Vector128.Equals(Vector128.LoadUnsafe(ref first, (nuint)(at + k)), comma).ExtractMostSignificantBits() << k;
                }

                if (k < n)
                {
                    // The line's last 16 bytes, overlapping what was read: only their bits from k on are new.
                    var last = line.Length - 16;
                    ulong bits = Vector128.Equals(Vector128.LoadUnsafe(ref first, (nuint)last), comma).ExtractMostSignificantBits();
                    var shift = last - at;
                    bits = shift >= 0 ? bits << shift : bits >> -shift;
                    mask |= bits & (ulong.MaxValue << k);
                }

                return mask;
            }

            for (; k < n; k++)
            {
                if (line[at + k] == (byte)',')
                {
                    mask |= 1UL << k;
                }
            }

            return mask;
        }
    }

    // The reasons for a skipped line are built out of line: the row loop stays small enough for its helpers to be inlined.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string TooFewFields(int expected, int found) => $"expected {expected} fields, found {found}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string TooManyFields(int expected) => $"expected {expected} fields, found more";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string BadValue(ReadOnlySpan<byte> field, int column) => $"bad value '{System.Text.Encoding.UTF8.GetString(field)}' in column {column}";

    private static bool SetNaN(ref double value)
    {
        value = double.NaN;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryParseBool(ReadOnlySpan<byte> s, out bool value)
    {
        if (s.SequenceEqual("True"u8) || s.SequenceEqual("true"u8) || s.SequenceEqual("1"u8))
        {
            value = true;
            return true;
        }

        value = false;
        return s.SequenceEqual("False"u8) || s.SequenceEqual("false"u8) || s.SequenceEqual("0"u8);
    }
}
