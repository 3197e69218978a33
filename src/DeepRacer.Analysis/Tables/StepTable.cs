namespace DeepRacer.Analysis.Tables;

/// <summary>What a <see cref="StepTable"/> holds.</summary>
public enum StepTableKind
{
    /// <summary>Training steps (simtrace or the training robomaker/simulation log).</summary>
    Training,
    /// <summary>Evaluation runs, one stream per run.</summary>
    Evaluation,
    /// <summary>Leaderboard (race) submissions, one stream per submission log.</summary>
    Leaderboard,
}

/// <summary>
/// Every step of a training or evaluation, one array per column (the reference's raw simtrace columns).
/// </summary>
/// <remarks>
/// Rows are sorted as the reference sorts them: training by (<c>unique_episode</c>, <c>steps</c>),
/// evaluation and leaderboard by (<c>stream</c>, <c>episode</c>, <c>steps</c>). Positions, angles and
/// speeds are float32 (their sources carry at most 4 decimals of meaning); reward, progress and the
/// clocks are float64 so that sums and lap times match the Python tools digit for digit.
/// </remarks>
public sealed partial class StepTable
{
    internal int[] _iteration = [];
    internal int[] _episode = [];
    internal int[] _steps = [];
    internal float[] _x = [];
    internal float[] _y = [];
    internal float[] _yaw = [];
    internal float[] _steeringAngle = [];
    internal float[] _speed = [];
    internal short[] _action = [];
    internal double[] _reward = [];
    internal bool[] _done = [];
    internal bool[] _onTrack = [];
    internal double[] _progress = [];
    internal short[] _closestWaypoint = [];
    internal RunColumn<float> _trackLen = new();
    private float[]? _trackLenValues;
    internal double[] _tstamp = [];
    internal EpisodeStatus[] _status = [];
    internal RunColumn<float> _pauseDuration = new();
    private float[]? _pauseDurationValues;
    internal double[] _wallClock = [];
    internal byte[] _worker = [];
    internal int[] _uniqueEpisode = [];
    internal short[] _stream = [];

    internal StepTable(StepTableKind kind) => Kind = kind;

    /// <summary>Training, evaluation or leaderboard.</summary>
    public StepTableKind Kind { get; }

    /// <summary>Number of steps (rows).</summary>
    public int RowCount { get; internal set; }

    /// <summary>Training iteration (0-based): from the file name <c>N-iteration.csv</c>, or episode / episodes-per-iteration for logs.</summary>
    public ReadOnlySpan<int> Iteration => _iteration;

    /// <summary>Episode counter of the worker (0-based, continues across iterations).</summary>
    public ReadOnlySpan<int> Episode => _episode;

    /// <summary>Step counter within the episode (1-based in modern traces, 0-based in 2019 logs).</summary>
    public ReadOnlySpan<int> Steps => _steps;

    /// <summary>Car position x, metres (<c>X</c> in the CSV).</summary>
    public ReadOnlySpan<float> X => _x;

    /// <summary>Car position y, metres (<c>Y</c> in the CSV).</summary>
    public ReadOnlySpan<float> Y => _y;

    /// <summary>Heading, degrees.</summary>
    public ReadOnlySpan<float> Yaw => _yaw;

    /// <summary>Steering angle of the action, degrees, positive = left (<c>steer</c>).</summary>
    public ReadOnlySpan<float> SteeringAngle => _steeringAngle;

    /// <summary>Commanded speed of the action, m/s (<c>throttle</c>).</summary>
    public ReadOnlySpan<float> Speed => _speed;

    /// <summary>Discrete action index; -1 for continuous action spaces (as the reference).</summary>
    public ReadOnlySpan<short> Action => _action;

    /// <summary>Reward of the step.</summary>
    public ReadOnlySpan<double> Reward => _reward;

    /// <summary>The episode ended at this step.</summary>
    public ReadOnlySpan<bool> Done => _done;

    /// <summary>All wheels on the track (<c>all_wheels_on_track</c>).</summary>
    public ReadOnlySpan<bool> OnTrack => _onTrack;

    /// <summary>Lap progress, percent; exactly 100 on a completed lap.</summary>
    public ReadOnlySpan<double> Progress => _progress;

    /// <summary>Index of the closest centre-line waypoint.</summary>
    public ReadOnlySpan<short> ClosestWaypoint => _closestWaypoint;

    /// <summary>Track centre-line length, metres.</summary>
    /// <remarks>Stored run-length encoded (one value per track); the array is made on first use.</remarks>
    public ReadOnlySpan<float> TrackLen => LazyInitializer.EnsureInitialized(ref _trackLenValues, () => _trackLen.Materialize(RowCount));

    /// <summary>Simulation clock, seconds (2019 logs: wall clock).</summary>
    public ReadOnlySpan<double> Tstamp => _tstamp;

    /// <summary>Status of the step.</summary>
    public ReadOnlySpan<EpisodeStatus> Status => _status;

    /// <summary>Penalty pause, seconds; NaN where the source has none.</summary>
    /// <remarks>Stored run-length encoded (0 through a whole training); the array is made on first use.</remarks>
    public ReadOnlySpan<float> PauseDuration => LazyInitializer.EnsureInitialized(ref _pauseDurationValues, () => _pauseDuration.Materialize(RowCount));

    /// <summary>Host wall clock, Unix seconds; empty when no source file has it (see <see cref="HasWallClock"/>).</summary>
    public ReadOnlySpan<double> WallClock => _wallClock;

    /// <summary>True when <see cref="WallClock"/> has one value per row (NaN where a file lacked it).</summary>
    public bool HasWallClock => _wallClock.Length == RowCount && RowCount > 0;

    /// <summary>Simulation worker (DRfC multi-worker folders); 0 otherwise.</summary>
    public ReadOnlySpan<byte> Worker => _worker;

    /// <summary>Number of distinct workers.</summary>
    public int WorkerCount { get; internal set; } = 1;

    /// <summary>Episode number unique across workers (training only; equals <see cref="Episode"/> with one worker).</summary>
    public ReadOnlySpan<int> UniqueEpisode => _uniqueEpisode;

    /// <summary>Index into <see cref="Streams"/> (evaluation and leaderboard only).</summary>
    public ReadOnlySpan<short> Stream => _stream;

    /// <summary>Names of the evaluation or leaderboard streams (one per run), sorted ordinally.</summary>
    public IReadOnlyList<string> Streams { get; internal set; } = [];

    /// <summary>What the load read and skipped.</summary>
    public LoadReport Report { get; internal set; } = LoadReport.Empty;

    internal string[] UnknownStatusNames { get; set; } = [];

    /// <summary>The simulator's text for a status code of this table.</summary>
    public string StatusName(EpisodeStatus status)
    {
        var code = (int)status;
        if (code >= (int)EpisodeStatus.FirstUnknown)
        {
            var index = code - (int)EpisodeStatus.FirstUnknown;
            return index < UnknownStatusNames.Length ? UnknownStatusNames[index] : "unknown";
        }

        return EpisodeStatusNames.ToText(status);
    }

    /// <summary>Row range [start, end) of each contiguous run of equal keys, in row order.</summary>
    internal static IEnumerable<(int Start, int End)> Runs<TKey>(TKey[] keys, int count) where TKey : IEquatable<TKey>
    {
        var start = 0;
        for (var i = 1; i <= count; i++)
        {
            if (i == count || !keys[i].Equals(keys[start]))
            {
                yield return (start, i);
                start = i;
            }
        }
    }
}
