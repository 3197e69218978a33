namespace DeepRacer.Analysis.Tables;

public sealed partial class StepTable
{
    /// <summary>
    /// One table holding the rows of both, numbered and sorted as a load of all their files at once would be:
    /// what a live view does with the files that arrived since its last load, instead of reading everything again.
    /// </summary>
    /// <param name="first">Rows loaded earlier.</param>
    /// <param name="second">Rows of other files (a later iteration, another worker's file, another run).</param>
    /// <exception cref="ArgumentException">The tables hold different kinds of steps.</exception>
    public static StepTable Concat(StepTable first, StepTable second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Kind != second.Kind)
        {
            throw new ArgumentException($"Cannot join {first.Kind} and {second.Kind} steps.", nameof(second));
        }

        var n = (long)first.RowCount + second.RowCount;
        if (n > Array.MaxLength)
        {
            throw new DeepRacerLogException($"The model has {n:N0} steps, more than one table can hold ({Array.MaxLength:N0}); load fewer iterations.");
        }

        var (a, b) = (first, second);
        var statusNames = a.UnknownStatusNames.Union(b.UnknownStatusNames, StringComparer.Ordinal).ToArray();
        var streams = a.Streams.Union(b.Streams, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var table = new StepTable(a.Kind)
        {
            RowCount = (int)n,
            Streams = streams,
            UnknownStatusNames = statusNames,
            Report = new LoadReport(
                a.Report.Files + b.Report.Files,
                a.Report.Bytes + b.Report.Bytes,
                (int)n,
                a.Report.BadLineCount + b.Report.BadLineCount,
                [.. a.Report.FirstBadLines.Concat(b.Report.FirstBadLines).Take(LoadReport.MaxReportedBadLines)]),
            _iteration = Join(a._iteration, b._iteration),
            _episode = Join(a._episode, b._episode),
            _steps = Join(a._steps, b._steps),
            _x = Join(a._x, b._x),
            _y = Join(a._y, b._y),
            _yaw = Join(a._yaw, b._yaw),
            _steeringAngle = Join(a._steeringAngle, b._steeringAngle),
            _speed = Join(a._speed, b._speed),
            _action = Join(a._action, b._action),
            _reward = Join(a._reward, b._reward),
            _done = Join(a._done, b._done),
            _onTrack = Join(a._onTrack, b._onTrack),
            _progress = Join(a._progress, b._progress),
            _closestWaypoint = Join(a._closestWaypoint, b._closestWaypoint),
            _tstamp = Join(a._tstamp, b._tstamp),
            _status = Join(Remap(a._status, a.RowCount, a.UnknownStatusNames, statusNames), Remap(b._status, b.RowCount, b.UnknownStatusNames, statusNames)),
            _wallClock = a.HasWallClock || b.HasWallClock ? Join(WallClockOrNaN(a), WallClockOrNaN(b)) : [],
        };
        table._trackLen.Append(a._trackLen, 0, a.RowCount);
        table._trackLen.Append(b._trackLen, a.RowCount, b.RowCount);
        table._pauseDuration.Append(a._pauseDuration, 0, a.RowCount);
        table._pauseDuration.Append(b._pauseDuration, a.RowCount, b.RowCount);

        if (a.Kind == StepTableKind.Training)
        {
            table._worker = Join(a._worker, b._worker);
            table.WorkerCount = Math.Max(1, table._worker.Distinct().Count());

            // Episodes per iteration and worker may only now be known (a worker's first file): number everything again.
            table._uniqueEpisode = StepTableBuilder.UniqueEpisodes(table);
            StepTableBuilder.SortIfNeeded(table, static (t, i) => ((long)t._uniqueEpisode[i] << 32) | (uint)t._steps[i]);
        }
        else
        {
            table._stream = Join(StreamIndexes(a, streams), StreamIndexes(b, streams));
            StepTableBuilder.SortIfNeeded(table, static (t, i) => ((long)t._stream[i] << 48) | ((long)(t._episode[i] & 0xFFFFFF) << 24) | (uint)(t._steps[i] & 0xFFFFFF));
        }

        return table;
    }

    private static T[] Join<T>(T[] a, T[] b)
    {
        var result = GC.AllocateUninitializedArray<T>(a.Length + b.Length);
        a.CopyTo(result, 0);
        b.CopyTo(result, a.Length);
        return result;
    }

    private static double[] WallClockOrNaN(StepTable t)
    {
        if (t.HasWallClock)
        {
            return t._wallClock;
        }

        var nan = new double[t.RowCount];
        nan.AsSpan().Fill(double.NaN);
        return nan;
    }

    /// <summary>Status codes past the known ones index the table's own name list; point them into the joined list.</summary>
    private static EpisodeStatus[] Remap(EpisodeStatus[] status, int rows, string[] names, string[] joined)
    {
        if (names.Length == 0 || names.SequenceEqual(joined.Take(names.Length)))
        {
            return status;
        }

        var result = status.AsSpan(0, rows).ToArray();
        for (var i = 0; i < result.Length; i++)
        {
            var code = (int)result[i] - (int)EpisodeStatus.FirstUnknown;
            if (code >= 0 && code < names.Length)
            {
                result[i] = (EpisodeStatus)((int)EpisodeStatus.FirstUnknown + Array.IndexOf(joined, names[code]));
            }
        }

        return result;
    }

    private static short[] StreamIndexes(StepTable t, List<string> joined)
    {
        var map = t.Streams.Select(s => (short)joined.BinarySearch(s, StringComparer.Ordinal)).ToArray();
        var result = new short[t.RowCount];
        for (var i = 0; i < result.Length; i++)
        {
            var s = t._stream[i];
            result[i] = s >= 0 && s < map.Length ? map[s] : s;
        }

        return result;
    }
}
