namespace DeepRacer.Analysis.Tables;

/// <summary>Joins parsed chunks into one <see cref="StepTable"/>: ordered, numbered, sorted.</summary>
internal static class StepTableBuilder
{
    /// <summary>A worker number the table's byte column cannot hold.</summary>
    public static DeepRacerLogException TooManyWorkers(string file, int worker) =>
        new($"{file}: worker {worker}; drlog keeps up to 256 workers (0-255) per model.");

    private delegate ref ChunkColumn<T> Column<T>(StepChunk chunk) where T : unmanaged;

    /// <summary>Joins chunks into a table: sorted into file order, numbered and sorted by episode; or, with <paramref name="uniqueEpisodes"/> (one per chunk), kept as given.</summary>
    public static StepTable Build(
        StepTableKind kind,
        List<StepChunk> chunks,
        IReadOnlyList<string> streams,
        string[] unknownStatusNames,
        LoadReport report,
        int[]? uniqueEpisodes = null)
    {
        try
        {
            if (uniqueEpisodes is null)
            {
                chunks.Sort((a, b) => CompareFiles(kind, a.File, a.FileIteration, a.Worker, a.StreamIndex, b.File, b.FileIteration, b.Worker, b.StreamIndex));
            }

            var total = 0L;
            foreach (var chunk in chunks)
            {
                total += chunk.Count;
            }

            if (total > Array.MaxLength)
            {
                throw new DeepRacerLogException($"The model has {total:N0} steps, more than one table can hold ({Array.MaxLength:N0}); load fewer iterations.");
            }

            var n = (int)total;
            var table = new StepTable(kind)
            {
                RowCount = n,
                Streams = streams,
                UnknownStatusNames = unknownStatusNames,
                Report = report with { Rows = n },
            };

            table._episode = Gather(chunks, n, static c => ref c.Episode);
            table._steps = Gather(chunks, n, static c => ref c.Steps);
            table._x = Gather(chunks, n, static c => ref c.X);
            table._y = Gather(chunks, n, static c => ref c.Y);
            table._yaw = Gather(chunks, n, static c => ref c.Yaw);
            table._steeringAngle = Gather(chunks, n, static c => ref c.SteeringAngle);
            table._speed = Gather(chunks, n, static c => ref c.Speed);
            table._action = Gather(chunks, n, static c => ref c.Action);
            table._reward = Gather(chunks, n, static c => ref c.Reward);
            table._done = Gather(chunks, n, static c => ref c.Done);
            table._onTrack = Gather(chunks, n, static c => ref c.OnTrack);
            table._progress = Gather(chunks, n, static c => ref c.Progress);
            table._closestWaypoint = Gather(chunks, n, static c => ref c.ClosestWaypoint);
            table._tstamp = Gather(chunks, n, static c => ref c.Tstamp);
            table._status = Gather(chunks, n, static c => ref c.Status);
            if (chunks.Exists(static c => c.HasWallClock))
            {
                table._wallClock = Gather(chunks, n, static c => ref c.WallClock);
            }

            table._iteration = Gather(chunks, n, static c => ref c.Iteration);
            if (uniqueEpisodes is null)
            {
                FinishRows(kind, table, chunks);
                return table;
            }

            // Rows kept from a streamed load: already in table order and numbered as the whole table numbers them.
            var offset = 0;
            table._worker = kind == StepTableKind.Training ? new byte[n] : [];
            table._uniqueEpisode = kind == StepTableKind.Training ? new int[n] : [];
            table._stream = kind == StepTableKind.Training ? [] : new short[n];
            for (var c = 0; c < chunks.Count; c++)
            {
                var chunk = chunks[c];
                table._trackLen.Append(chunk.TrackLen, offset, chunk.Count);
                table._pauseDuration.Append(chunk.PauseDuration, offset, chunk.Count);
                if (kind == StepTableKind.Training)
                {
                    table._worker.AsSpan(offset, chunk.Count).Fill((byte)chunk.Worker);
                    table._uniqueEpisode.AsSpan(offset, chunk.Count).Fill(uniqueEpisodes[c]);
                }
                else
                {
                    table._stream.AsSpan(offset, chunk.Count).Fill((short)chunk.StreamIndex);
                }

                offset += chunk.Count;
            }

            table.WorkerCount = Math.Max(1, chunks.Where(c => c.Count > 0).Select(c => c.Worker).Distinct().Count());
            return table;
        }
        finally
        {
            foreach (var chunk in chunks)
            {
                chunk.Dispose();
            }
        }
    }

    /// <summary>
    /// A table whose columns (all but worker, stream and unique episode) are pinned arrays of <paramref name="rows"/> rows,
    /// for chunks attached with <see cref="StepChunk.AttachTo"/> to parse into directly: no chunk memory, no copy.
    /// </summary>
    public static StepTable AllocatePinned(StepTableKind kind, int rows, bool withWallClock) => new(kind)
    {
        RowCount = rows,
        _iteration = Pinned<int>(rows),
        _episode = Pinned<int>(rows),
        _steps = Pinned<int>(rows),
        _x = Pinned<float>(rows),
        _y = Pinned<float>(rows),
        _yaw = Pinned<float>(rows),
        _steeringAngle = Pinned<float>(rows),
        _speed = Pinned<float>(rows),
        _action = Pinned<short>(rows),
        _reward = Pinned<double>(rows),
        _done = Pinned<bool>(rows),
        _onTrack = Pinned<bool>(rows),
        _progress = Pinned<double>(rows),
        _closestWaypoint = Pinned<short>(rows),
        _tstamp = Pinned<double>(rows),
        _status = Pinned<EpisodeStatus>(rows),
        _wallClock = withWallClock ? Pinned<double>(rows) : [],
    };

    /// <summary>
    /// Completes a table from <see cref="AllocatePinned"/> whose attached chunks (in table order) have been parsed:
    /// closes the gaps of rows counted but not parsed (bad or empty lines), then numbers and sorts as <see cref="Build"/>.
    /// </summary>
    public static StepTable Finish(
        StepTableKind kind,
        StepTable table,
        List<StepChunk> chunks,
        IReadOnlyList<string> streams,
        string[] unknownStatusNames,
        LoadReport report)
    {
        var total = 0;
        var gaps = false;
        foreach (var chunk in chunks)
        {
            gaps |= chunk.Count != chunk.Capacity || chunk.Offset != total;
            total += chunk.Count;
        }

        if (gaps || total != table.RowCount)
        {
            table._iteration = Compact(table._iteration, chunks, total);
            table._episode = Compact(table._episode, chunks, total);
            table._steps = Compact(table._steps, chunks, total);
            table._x = Compact(table._x, chunks, total);
            table._y = Compact(table._y, chunks, total);
            table._yaw = Compact(table._yaw, chunks, total);
            table._steeringAngle = Compact(table._steeringAngle, chunks, total);
            table._speed = Compact(table._speed, chunks, total);
            table._action = Compact(table._action, chunks, total);
            table._reward = Compact(table._reward, chunks, total);
            table._done = Compact(table._done, chunks, total);
            table._onTrack = Compact(table._onTrack, chunks, total);
            table._progress = Compact(table._progress, chunks, total);
            table._closestWaypoint = Compact(table._closestWaypoint, chunks, total);
            table._tstamp = Compact(table._tstamp, chunks, total);
            table._status = Compact(table._status, chunks, total);
            table._wallClock = table._wallClock.Length == 0 ? [] : Compact(table._wallClock, chunks, total);
            table.RowCount = total;
        }

        table.Streams = streams;
        table.UnknownStatusNames = unknownStatusNames;
        table.Report = report with { Rows = total };
        FinishRows(kind, table, chunks);
        return table;
    }

    private static T[] Pinned<T>(int rows) where T : unmanaged => rows == 0 ? [] : GC.AllocateUninitializedArray<T>(rows, pinned: true);

    /// <summary>Moves each chunk's parsed rows together and trims the column to <paramref name="total"/> rows.</summary>
    private static T[] Compact<T>(T[] column, List<StepChunk> chunks, int total) where T : unmanaged
    {
        var result = GC.AllocateUninitializedArray<T>(total);
        var offset = 0;
        foreach (var chunk in chunks)
        {
            column.AsSpan(chunk.Offset, chunk.Count).CopyTo(result.AsSpan(offset));
            offset += chunk.Count;
        }

        return result;
    }

    /// <summary>Run-length columns, worker or stream of every row, unique episodes, and the final sort; chunks in table order.</summary>
    private static void FinishRows(StepTableKind kind, StepTable table, List<StepChunk> chunks)
    {
        var n = table.RowCount;
        var start = 0;
        foreach (var chunk in chunks)
        {
            table._trackLen.Append(chunk.TrackLen, start, chunk.Count);
            table._pauseDuration.Append(chunk.PauseDuration, start, chunk.Count);
            start += chunk.Count;
        }

        if (kind == StepTableKind.Training)
        {
            if (chunks.Find(c => c.Worker > byte.MaxValue) is { } big)
            {
                throw TooManyWorkers(big.File, big.Worker);
            }

            table._worker = new byte[n];
            var offset = 0;
            var workers = new HashSet<int>();
            foreach (var chunk in chunks)
            {
                table._worker.AsSpan(offset, chunk.Count).Fill((byte)chunk.Worker);
                offset += chunk.Count;
                if (chunk.Count > 0)
                {
                    workers.Add(chunk.Worker);
                }
            }

            table.WorkerCount = Math.Max(1, workers.Count);
            table._uniqueEpisode = UniqueEpisodes(table);
            SortIfNeeded(table, static (t, i) => ((long)t._uniqueEpisode[i] << 32) | (uint)t._steps[i]);
        }
        else
        {
            table._stream = new short[n];
            var offset = 0;
            foreach (var chunk in chunks)
            {
                table._stream.AsSpan(offset, chunk.Count).Fill((short)chunk.StreamIndex);
                offset += chunk.Count;
            }

            SortIfNeeded(table, static (t, i) => ((long)t._stream[i] << 48) | ((long)(t._episode[i] & 0xFFFFFF) << 24) | (uint)(t._steps[i] & 0xFFFFFF));
        }
    }

    /// <summary>The order <see cref="Build"/> joins chunks in; files arrive in any order (parallel parse), this one makes the usual result already sorted.</summary>
    public static int CompareFiles(StepTableKind kind, string fileA, int iterationA, int workerA, int streamA, string fileB, int iterationB, int workerB, int streamB) =>
        kind == StepTableKind.Training
            ? (iterationA, workerA).CompareTo((iterationB, workerB)) is var c and not 0 ? c : string.CompareOrdinal(fileA, fileB)
            : (streamA, iterationA).CompareTo((streamB, iterationB)) is var d and not 0 ? d : string.CompareOrdinal(fileA, fileB);

    private static T[] Gather<T>(List<StepChunk> chunks, int total, Column<T> column) where T : unmanaged
    {
        var result = GC.AllocateUninitializedArray<T>(total);
        var offset = 0;
        foreach (var chunk in chunks)
        {
            ref var source = ref column(chunk);
            source.AsSpan(chunk.Count).CopyTo(result.AsSpan(offset));
            offset += chunk.Count;
            source.Free();
        }

        return result;
    }

    /// <summary>
    /// unique_episode = (episode mod E[w]) + before[w] + iteration * E_total (spec 2.6).
    /// </summary>
    /// <remarks>
    /// E[w] is taken from the worker's first iteration present rather than only iteration 0, so a folder
    /// whose early iterations were deleted still gets distinct numbers (the reference yields NaN there).
    /// </remarks>
    internal static int[] UniqueEpisodes(StepTable t)
    {
        var n = t.RowCount;
        var result = new int[n];
        if (t.WorkerCount <= 1 && !t._worker.AsSpan(0, n).ContainsAnyExcept((byte)0))
        {
            t._episode.AsSpan(0, n).CopyTo(result);
            return result;
        }

        var maxWorker = 0;
        for (var i = 0; i < n; i++)
        {
            maxWorker = Math.Max(maxWorker, t._worker[i]);
        }

        var firstIteration = new int[maxWorker + 1];
        Array.Fill(firstIteration, int.MaxValue);
        for (var i = 0; i < n; i++)
        {
            ref var first = ref firstIteration[t._worker[i]];
            first = Math.Min(first, t._iteration[i]);
        }

        var minEpisode = new int[maxWorker + 1];
        var maxEpisode = new int[maxWorker + 1];
        Array.Fill(minEpisode, int.MaxValue);
        Array.Fill(maxEpisode, int.MinValue);
        for (var i = 0; i < n; i++)
        {
            var w = t._worker[i];
            if (t._iteration[i] == firstIteration[w])
            {
                minEpisode[w] = Math.Min(minEpisode[w], t._episode[i]);
                maxEpisode[w] = Math.Max(maxEpisode[w], t._episode[i]);
            }
        }

        var perWorker = new int[maxWorker + 1];
        var before = new int[maxWorker + 1];
        var total = 0;
        for (var w = 0; w <= maxWorker; w++)
        {
            perWorker[w] = firstIteration[w] == int.MaxValue ? 0 : maxEpisode[w] - minEpisode[w] + 1;
            before[w] = total;
            total += perWorker[w];
        }

        for (var i = 0; i < n; i++)
        {
            var w = t._worker[i];
            var e = perWorker[w];
            result[i] = (e == 0 ? 0 : t._episode[i] % e) + before[w] + t._iteration[i] * total;
        }

        return result;
    }

    internal static void SortIfNeeded(StepTable t, Func<StepTable, int, long> key)
    {
        var n = t.RowCount;
        var sorted = true;
        for (var i = 1; i < n && sorted; i++)
        {
            sorted = key(t, i - 1) <= key(t, i);
        }

        if (sorted)
        {
            return;
        }

        var keys = new long[n];
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = key(t, i);
            order[i] = i;
        }

        // Keys are unique per (group, step) in sane data; ties keep no particular order, as in pandas' default sort.
        keys.AsSpan().Sort(order.AsSpan());
        t._iteration = Permute(t._iteration, order);
        t._episode = Permute(t._episode, order);
        t._steps = Permute(t._steps, order);
        t._x = Permute(t._x, order);
        t._y = Permute(t._y, order);
        t._yaw = Permute(t._yaw, order);
        t._steeringAngle = Permute(t._steeringAngle, order);
        t._speed = Permute(t._speed, order);
        t._action = Permute(t._action, order);
        t._reward = Permute(t._reward, order);
        t._done = Permute(t._done, order);
        t._onTrack = Permute(t._onTrack, order);
        t._progress = Permute(t._progress, order);
        t._closestWaypoint = Permute(t._closestWaypoint, order);
        t._trackLen = RunColumn<float>.From(Permute(t._trackLen.Materialize(n), order));
        t._tstamp = Permute(t._tstamp, order);
        t._status = Permute(t._status, order);
        t._pauseDuration = RunColumn<float>.From(Permute(t._pauseDuration.Materialize(n), order));
        t._wallClock = Permute(t._wallClock, order);
        t._worker = Permute(t._worker, order);
        t._uniqueEpisode = Permute(t._uniqueEpisode, order);
        t._stream = Permute(t._stream, order);
    }

    private static T[] Permute<T>(T[] column, int[] order)
    {
        if (column.Length != order.Length)
        {
            return column;
        }

        var result = GC.AllocateUninitializedArray<T>(column.Length);
        for (var i = 0; i < order.Length; i++)
        {
            result[i] = column[order[i]];
        }

        return result;
    }
}
