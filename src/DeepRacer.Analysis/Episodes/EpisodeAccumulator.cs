using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Episodes;

/// <summary>
/// The running sums of one episode, fed one step at a time in table order. <see cref="EpisodeTable.Aggregate(StepTable, double[])"/>
/// and the streaming load both go through <see cref="Add"/>, so their sums are added in the same order and agree to the last bit.
/// </summary>
internal struct EpisodeAccumulator
{
    public int MinSteps;
    public int MaxSteps;
    public int Crashes;
    public int OffTracks;
    public int Deltas;
    public double MaxProgress;
    public double SumTime;
    public double SumDist;
    public double SumReward;
    public double SumNewReward;
    public double SumSpeed;
    public double Speeds;
    public double MaxDelta;
    public double DeltaSum;
    public double DeltaSumSq;

    public static EpisodeAccumulator Create() => new()
    {
        MinSteps = int.MaxValue,
        MaxSteps = int.MinValue,
        MaxProgress = double.NaN,
        MaxDelta = double.NaN,
    };

    /// <summary>
    /// The time and distance from the previous row of the table: 0 on <c>prepare</c> rows, NaN for the table's first row
    /// (the reference's first difference, which its sums skip).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Dt, double Dd) Delta(EpisodeStatus status, bool hasPrevious, double tstamp, float x, float y, double previousTstamp, float previousX, float previousY)
    {
        if (status == EpisodeStatus.Prepare)
        {
            return (0, 0);
        }

        if (!hasPrevious)
        {
            return (double.NaN, double.NaN);
        }

        double dx = (double)x - previousX, dy = (double)y - previousY;
        return (tstamp - previousTstamp, Math.Sqrt((dx * dx) + (dy * dy)));
    }

    /// <summary>Adds one step; <paramref name="dt"/> and <paramref name="dd"/> come from <see cref="Delta"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double dt, double dd, int steps, double progress, double reward, float speed, EpisodeStatus status)
    {
        if (!double.IsNaN(dt))
        {
            SumTime += dt;
            Deltas++;
            DeltaSum += dt;
            DeltaSumSq += dt * dt;
            MaxDelta = double.IsNaN(MaxDelta) ? dt : Math.Max(MaxDelta, dt);
        }

        if (!double.IsNaN(dd))
        {
            SumDist += dd;
        }

        MinSteps = Math.Min(MinSteps, steps);
        MaxSteps = Math.Max(MaxSteps, steps);
        if (!double.IsNaN(progress) && (double.IsNaN(MaxProgress) || progress > MaxProgress))
        {
            MaxProgress = progress;
        }

        if (!double.IsNaN(reward))
        {
            SumReward += reward;
        }

        if (!float.IsNaN(speed))
        {
            SumSpeed += speed;
            Speeds++;
        }

        if (status == EpisodeStatus.Crashed)
        {
            Crashes++;
        }
        else if (status == EpisodeStatus.OffTrack)
        {
            OffTracks++;
        }
    }

    /// <summary>Adds a replayed reward (NaN is skipped, as the reference's sum does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddNewReward(double value)
    {
        if (!double.IsNaN(value))
        {
            SumNewReward += value;
        }
    }
}

/// <summary>What identifies an episode: its first row's iteration, episode, unique episode, worker, stream index and closest waypoint.</summary>
internal readonly record struct EpisodeKey(int Iteration, int Episode, int UniqueEpisode, int Worker, int Stream, int StartAt);
