using DeepRacer.Analysis.Internal;

namespace DeepRacer.Analysis.Tables;

/// <summary>
/// The rows parsed from one file, in native columns, before they join a <see cref="StepTable"/>.
/// </summary>
/// <remarks>Parsers fill <c>[Count]</c> of every column and then call <see cref="Commit"/>; a row that fails half-way is simply overwritten.</remarks>
internal sealed class StepChunk : IDisposable
{
    public NativeColumn<int> Iteration;
    public NativeColumn<int> Episode;
    public NativeColumn<int> Steps;
    public NativeColumn<float> X;
    public NativeColumn<float> Y;
    public NativeColumn<float> Yaw;
    public NativeColumn<float> SteeringAngle;
    public NativeColumn<float> Speed;
    public NativeColumn<short> Action;
    public NativeColumn<double> Reward;
    public NativeColumn<bool> Done;
    public NativeColumn<bool> OnTrack;
    public NativeColumn<double> Progress;
    public NativeColumn<short> ClosestWaypoint;
    public NativeColumn<float> TrackLen;
    public NativeColumn<double> Tstamp;
    public NativeColumn<EpisodeStatus> Status;
    public NativeColumn<float> PauseDuration;
    public NativeColumn<double> WallClock;

    public StepChunk(int capacity)
    {
        Capacity = Math.Max(capacity, 16);
        ResizeAll(Capacity);
    }

    /// <summary>Rows committed so far.</summary>
    public int Count { get; private set; }

    public int Capacity { get; private set; }

    /// <summary>The source file, as listed by its source (for messages and ordering).</summary>
    public string File { get; init; } = "";

    /// <summary>The file's iteration (from <c>N-iteration.csv</c>); orders chunks. Rows carry their own in <see cref="Iteration"/>.</summary>
    public int FileIteration { get; set; }

    public int Worker { get; set; }

    /// <summary>Index of the evaluation stream in the load's stream list, or -1.</summary>
    public int StreamIndex { get; set; } = -1;

    /// <summary>True when some row had a wall clock (the 19-column CSV, 18/19-field logs, 2019 logs).</summary>
    public bool HasWallClock { get; set; }

    public bool HasPauseDuration { get; set; }

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

    /// <summary>Drops rows from <paramref name="count"/> on (used when a 2019 episode restarts).</summary>
    public void Truncate(int count) => Count = Math.Min(Count, count);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow()
    {
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
        TrackLen.Resize(capacity);
        Tstamp.Resize(capacity);
        Status.Resize(capacity);
        PauseDuration.Resize(capacity);
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
        TrackLen.Free();
        Tstamp.Free();
        Status.Free();
        PauseDuration.Free();
        WallClock.Free();
    }
}
