namespace DeepRacer.Analysis.Tables;

/// <summary>
/// The rows parsed from one file, in native columns, before they join a <see cref="StepTable"/>.
/// </summary>
/// <remarks>Parsers fill <c>[Count]</c> of every column and then call <see cref="Commit"/>; a row that fails half-way is simply overwritten.</remarks>
internal sealed class StepChunk : IDisposable
{
    public ChunkColumn<int> Iteration;
    public ChunkColumn<int> Episode;
    public ChunkColumn<int> Steps;
    public ChunkColumn<float> X;
    public ChunkColumn<float> Y;
    public ChunkColumn<float> Yaw;
    public ChunkColumn<float> SteeringAngle;
    public ChunkColumn<float> Speed;
    public ChunkColumn<short> Action;
    public ChunkColumn<double> Reward;
    public ChunkColumn<bool> Done;
    public ChunkColumn<bool> OnTrack;
    public ChunkColumn<double> Progress;
    public ChunkColumn<short> ClosestWaypoint;
    public RunColumn<float> TrackLen = new();
    public ChunkColumn<double> Tstamp;
    public ChunkColumn<EpisodeStatus> Status;
    public RunColumn<float> PauseDuration = new();
    public ChunkColumn<double> WallClock;

    public StepChunk(int capacity)
    {
        Capacity = Math.Max(capacity, 16);
        ResizeAll(Capacity);
    }

    /// <summary>A chunk that writes straight into rows [offset, offset + capacity) of a table's (pinned) columns and cannot grow.</summary>
    private StepChunk(StepTable table, int offset, int capacity)
    {
        Capacity = capacity;
        Offset = offset;
        IsAttached = true;
        Iteration.Attach(table._iteration, offset);
        Episode.Attach(table._episode, offset);
        Steps.Attach(table._steps, offset);
        X.Attach(table._x, offset);
        Y.Attach(table._y, offset);
        Yaw.Attach(table._yaw, offset);
        SteeringAngle.Attach(table._steeringAngle, offset);
        Speed.Attach(table._speed, offset);
        Action.Attach(table._action, offset);
        Reward.Attach(table._reward, offset);
        Done.Attach(table._done, offset);
        OnTrack.Attach(table._onTrack, offset);
        Progress.Attach(table._progress, offset);
        ClosestWaypoint.Attach(table._closestWaypoint, offset);
        Tstamp.Attach(table._tstamp, offset);
        Status.Attach(table._status, offset);
        if (table._wallClock.Length > 0)
        {
            // Without it the parser skips the column (no file of the load has one).
            WallClock.Attach(table._wallClock, offset);
        }
    }

    /// <summary>Attaches a chunk to rows of a table allocated by <see cref="StepTableBuilder.AllocatePinned"/>.</summary>
    public static StepChunk AttachTo(StepTable table, int offset, int capacity) => new(table, offset, capacity);

    /// <summary>First table row of an attached chunk.</summary>
    public int Offset { get; }

    /// <summary>True when the chunk writes into a table's columns (see <see cref="AttachTo"/>).</summary>
    public bool IsAttached { get; }

    /// <summary>Rows committed so far.</summary>
    public int Count { get; private set; }

    public int Capacity { get; private set; }

    /// <summary>The source file, as listed by its source (for messages and ordering).</summary>
    public string File { get; set; } = "";

    /// <summary>The file's iteration (from <c>N-iteration.csv</c>); orders chunks. Rows carry their own in <see cref="Iteration"/>.</summary>
    public int FileIteration { get; set; }

    public int Worker { get; set; }

    /// <summary>Index of the evaluation stream in the load's stream list, or -1.</summary>
    public int StreamIndex { get; set; } = -1;

    /// <summary>True when some row had a wall clock (the 19-column CSV, 18/19-field logs, 2019 logs).</summary>
    public bool HasWallClock { get; set; }

    public bool HasPauseDuration { get; set; }

    /// <summary>
    /// Set by a streamed load before a file's last block: some row's action was not an integer, so the whole file's actions
    /// read as -1 (spec 2.4), including rows of blocks consumed before.
    /// </summary>
    public bool NonNumericAction { get; set; }

    /// <summary>Reserves the row at <see cref="Count"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureRow()
    {
        if (Count == Capacity)
        {
            Grow();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Commit() => Count++;

    /// <summary>Appends row <paramref name="row"/> of another chunk (every column; a streamed load keeps a few episodes this way).</summary>
    public void AppendRow(StepChunk source, int row)
    {
        EnsureRow();
        var r = Count;
        Iteration[r] = source.Iteration[row];
        Episode[r] = source.Episode[row];
        Steps[r] = source.Steps[row];
        X[r] = source.X[row];
        Y[r] = source.Y[row];
        Yaw[r] = source.Yaw[row];
        SteeringAngle[r] = source.SteeringAngle[row];
        Speed[r] = source.Speed[row];
        Action[r] = source.Action[row];
        Reward[r] = source.Reward[row];
        Done[r] = source.Done[row];
        OnTrack[r] = source.OnTrack[row];
        Progress[r] = source.Progress[row];
        ClosestWaypoint[r] = source.ClosestWaypoint[row];
        TrackLen.Set(r, source.TrackLen.Get(row));
        Tstamp[r] = source.Tstamp[row];
        Status[r] = source.Status[row];
        PauseDuration.Set(r, source.PauseDuration.Get(row));
        WallClock[r] = source.WallClock[row];
        HasWallClock |= source.HasWallClock;
        Commit();
    }

    /// <summary>Drops rows from <paramref name="count"/> on (used when a 2019 episode restarts).</summary>
    public void Truncate(int count)
    {
        Count = Math.Min(Count, count);
        TrackLen.Truncate(Count);
        PauseDuration.Truncate(Count);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow()
    {
        if (IsAttached)
        {
            throw new ChunkOverflowException();
        }

        Capacity = checked(Capacity * 2);
        ResizeAll(Capacity);
    }

    private void ResizeAll(int capacity)
    {
        Iteration.Resize(capacity);
        Episode.Resize(capacity);
        Steps.Resize(capacity);
        X.Resize(capacity);
        Y.Resize(capacity);
        Yaw.Resize(capacity);
        SteeringAngle.Resize(capacity);
        Speed.Resize(capacity);
        Action.Resize(capacity);
        Reward.Resize(capacity);
        Done.Resize(capacity);
        OnTrack.Resize(capacity);
        Progress.Resize(capacity);
        ClosestWaypoint.Resize(capacity);
        Tstamp.Resize(capacity);
        Status.Resize(capacity);
        WallClock.Resize(capacity);
    }

    public void Dispose()
    {
        Iteration.Free();
        Episode.Free();
        Steps.Free();
        X.Free();
        Y.Free();
        Yaw.Free();
        SteeringAngle.Free();
        Speed.Free();
        Action.Free();
        Reward.Free();
        Done.Free();
        OnTrack.Free();
        Progress.Free();
        ClosestWaypoint.Free();
        Tstamp.Free();
        Status.Free();
        WallClock.Free();
    }
}

/// <summary>An attached chunk got more rows than its pre-count (the file changed between the two reads).</summary>
internal sealed class ChunkOverflowException : Exception
{
    public ChunkOverflowException() : base("a file has more rows than counted") { }
}

/// <summary>
/// A chunk column: growable native memory freed explicitly (so freed parse chunks return to the OS at once, not after a GC), or rows of a
/// pinned table column that the chunk writes into directly and never frees.
/// </summary>
internal unsafe struct ChunkColumn<T> where T : unmanaged
{
    private T* _items;
    private bool _attached;

    public readonly bool IsAllocated => _items != null;

    public readonly Span<T> AsSpan(int count) => new(_items, count);

    public readonly ref T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _items[index];
    }

    /// <summary>Points at <paramref name="column"/>[<paramref name="offset"/>..]; the array must be pinned (POH).</summary>
    public void Attach(T[] column, int offset)
    {
        Free();
        _items = (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(column)) + offset;
        _attached = true;
    }

    public void Resize(int capacity)
    {
        if (_attached)
        {
            throw new ChunkOverflowException();
        }

        _items = (T*)NativeMemory.Realloc(_items, (nuint)capacity * (nuint)sizeof(T));
    }

    public void Free()
    {
        if (_items != null && !_attached)
        {
            NativeMemory.Free(_items);
        }

        _items = null;
        _attached = false;
    }
}
