using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Episodes;

/// <summary>
/// One row per episode, as the reference's <c>simulation_agg</c> computes it (spec 6), with its column names.
/// </summary>
/// <remarks>
/// Training columns: <c>iteration, episode, steps, start_at, progress, time, dist, new_reward, speed, reward,
/// time_if_complete, reward_if_complete, quintile, complete</c>, then <c>unique_episode, worker</c> when there are
/// several workers, then <c>step_time_mean, step_time_max, step_time_std</c>. Evaluation and leaderboard columns:
/// <c>stream, episode, steps, start_at, progress, time, dist, speed, crashed, off_track, time_if_complete, complete</c>
/// and the step-time columns. Multi-worker training is grouped by <c>unique_episode</c>, never by the workers'
/// overlapping episode numbers (the reference's silent merge).
/// </remarks>
public sealed class EpisodeTable : Table
{
    private EpisodeTable(IReadOnlyList<Column> columns, bool isEvaluation, LoadReport report) : base(columns)
    {
        IsEvaluation = isEvaluation;
        Report = report;
    }

    /// <summary>True for evaluation or leaderboard episodes.</summary>
    public bool IsEvaluation { get; }

    /// <summary>What the load of the steps behind these episodes read and skipped (rows are steps, not episodes).</summary>
    public LoadReport Report { get; }

    /// <summary>Lap time in seconds (<c>time</c>).</summary>
    public ReadOnlySpan<double> Time => Get<double>("time");

    /// <summary>Best progress in percent (<c>progress</c>).</summary>
    public ReadOnlySpan<double> Progress => Get<double>("progress");

    /// <summary>Steps in the episode (<c>steps</c>).</summary>
    public ReadOnlySpan<int> Steps => Get<int>("steps");

    /// <summary>Distance driven in metres (<c>dist</c>).</summary>
    public ReadOnlySpan<double> Dist => Get<double>("dist");

    /// <summary>1 when the lap was completed (<c>complete</c>).</summary>
    public ReadOnlySpan<int> Complete => Get<int>("complete");

    /// <summary>Episode number of the worker (<c>episode</c>).</summary>
    public ReadOnlySpan<int> Episode => Get<int>("episode");

    /// <summary>Training iteration (<c>iteration</c>); training tables only.</summary>
    public ReadOnlySpan<int> Iteration => Get<int>("iteration");

    /// <summary>Total reward (<c>reward</c>); training tables only.</summary>
    public ReadOnlySpan<double> Reward => Get<double>("reward");

    /// <summary>
    /// Aggregates steps into episodes. The table must be as loaded (sorted): time and distance are differences
    /// between consecutive rows of the whole table, zeroed on <c>prepare</c> rows, exactly as the reference.
    /// </summary>
    public static EpisodeTable Aggregate(StepTable steps) => Aggregate(steps, null);

    /// <summary>
    /// Aggregates steps into episodes, with <c>new_reward</c> the per-episode sum of <paramref name="newReward"/> (one value
    /// per step row, e.g. <c>RewardReplayResult.NewRewardPerRow()</c>; NaN is skipped) instead of a copy of <c>reward</c>.
    /// </summary>
    public static EpisodeTable Aggregate(StepTable steps, double[]? newReward)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (newReward is not null && newReward.Length != steps.RowCount)
        {
            throw new ArgumentException($"newReward has {newReward.Length} values for {steps.RowCount} steps.", nameof(newReward));
        }

        var isEval = steps.Kind != StepTableKind.Training;
        var groups = Groups(steps, isEval);
        var n = groups.Count;
        var keys = new EpisodeKey[n];
        var sums = new EpisodeAccumulator[n];
        var tstamp = steps.Tstamp;
        var xs = steps.X;
        var ys = steps.Y;
        var status = steps.Status;
        for (var g = 0; g < n; g++)
        {
            var (start, end) = groups[g];
            var sum = EpisodeAccumulator.Create();
            for (var i = start; i < end; i++)
            {
                var (dt, dd) = i == 0
                    ? EpisodeAccumulator.Delta(status[i], false, 0, 0, 0, 0, 0, 0)
                    : EpisodeAccumulator.Delta(status[i], true, tstamp[i], xs[i], ys[i], tstamp[i - 1], xs[i - 1], ys[i - 1]);
                sum.Add(dt, dd, steps.Steps[i], steps.Progress[i], steps.Reward[i], steps.Speed[i], status[i]);
                if (newReward is not null)
                {
                    sum.AddNewReward(newReward[i]);
                }
            }

            sums[g] = sum;
            keys[g] = new EpisodeKey(
                steps.Iteration[start],
                steps.Episode[start],
                isEval ? 0 : steps.UniqueEpisode[start],
                isEval ? 0 : steps.Worker[start],
                isEval ? steps.Stream[start] : -1,
                steps.ClosestWaypoint[start]);
        }

        return Build(steps.Kind, !isEval && steps.WorkerCount > 1, n, keys.Zip(sums), newReward is not null, steps.Streams, steps.Report);
    }

    /// <summary>The table of episodes from their keys and sums (<paramref name="n"/> of them, in table order, enumerated once).</summary>
    internal static EpisodeTable Build(
        StepTableKind kind,
        bool multiWorker,
        int n,
        IEnumerable<(EpisodeKey Key, EpisodeAccumulator Sum)> episodes,
        bool replayed,
        IReadOnlyList<string> streams,
        LoadReport report)
    {
        var isEval = kind != StepTableKind.Training;
        var firstKey = new int[n];
        var streamKey = new string[n];
        var episode = new int[n];
        var uniqueEpisode = new int[n];
        var worker = new int[n];
        var stepCount = new int[n];
        var startAt = new int[n];
        var progress = new double[n];
        var time = new double[n];
        var dist = new double[n];
        var reward = new double[n];
        var newReward = new double[n];
        var speed = new double[n];
        var timeIfComplete = new double[n];
        var rewardIfComplete = new double[n];
        var complete = new int[n];
        var crashed = new int[n];
        var offTrack = new int[n];
        var stepTimeMean = new double[n];
        var stepTimeMax = new double[n];
        var stepTimeStd = new double[n];
        var g = 0;
        foreach (var (key, sum) in episodes)
        {
            firstKey[g] = key.Iteration;
            episode[g] = key.Episode;
            if (isEval)
            {
                streamKey[g] = streams[key.Stream];
            }
            else
            {
                uniqueEpisode[g] = key.UniqueEpisode;
                worker[g] = key.Worker;
            }

            var maxProgress = sum.MaxProgress;
            stepCount[g] = sum.MaxSteps - sum.MinSteps + 1;
            startAt[g] = key.StartAt;
            progress[g] = maxProgress;
            time[g] = sum.SumTime;
            dist[g] = sum.SumDist;
            reward[g] = sum.SumReward;
            newReward[g] = sum.SumNewReward;
            speed[g] = sum.Speeds == 0 ? double.NaN : sum.SumSpeed / sum.Speeds;
            timeIfComplete[g] = sum.SumTime * 100 / maxProgress;
            rewardIfComplete[g] = sum.SumReward * 100 / maxProgress;
            complete[g] = maxProgress == 100 ? 1 : 0;
            crashed[g] = sum.Crashes;
            offTrack[g] = sum.OffTracks;
            var deltas = sum.Deltas;
            stepTimeMean[g] = deltas == 0 ? double.NaN : sum.DeltaSum / deltas;
            stepTimeMax[g] = sum.MaxDelta;
            stepTimeStd[g] = deltas < 2 ? double.NaN : Math.Sqrt(Math.Max(0, (sum.DeltaSumSq - (sum.DeltaSum * sum.DeltaSum / deltas)) / (deltas - 1)));
            g++;
        }

        var columns = new List<Column>();
        if (isEval)
        {
            columns.Add(new Column<string>("stream", streamKey));
            columns.Add(new Column<int>("episode", episode));
        }
        else
        {
            columns.Add(new Column<int>("iteration", firstKey));
            columns.Add(new Column<int>("episode", episode));
        }

        columns.Add(new Column<int>("steps", stepCount));
        columns.Add(new Column<int>("start_at", startAt));
        columns.Add(new Column<double>("progress", progress));
        columns.Add(new Column<double>("time", time));
        columns.Add(new Column<double>("dist", dist));
        if (isEval)
        {
            columns.Add(new Column<double>("speed", speed));
            columns.Add(new Column<int>("crashed", crashed));
            columns.Add(new Column<int>("off_track", offTrack));
            columns.Add(new Column<double>("time_if_complete", timeIfComplete));
            columns.Add(new Column<int>("complete", complete));
        }
        else
        {
            // Without a reward replay new_reward is the logged reward, as in the reference.
            columns.Add(new Column<double>("new_reward", replayed ? newReward : (double[])reward.Clone()));
            columns.Add(new Column<double>("speed", speed));
            columns.Add(new Column<double>("reward", reward));
            columns.Add(new Column<double>("time_if_complete", timeIfComplete));
            columns.Add(new Column<double>("reward_if_complete", rewardIfComplete));
            columns.Add(new Column<string>("quintile", Quintiles(multiWorker ? uniqueEpisode : episode)));
            columns.Add(new Column<int>("complete", complete));
            if (multiWorker)
            {
                columns.Add(new Column<int>("unique_episode", uniqueEpisode));
                columns.Add(new Column<int>("worker", worker));
            }
        }

        columns.Add(new Column<double>("step_time_mean", stepTimeMean));
        columns.Add(new Column<double>("step_time_max", stepTimeMax));
        columns.Add(new Column<double>("step_time_std", stepTimeStd));
        return new EpisodeTable(columns, isEval, report);
    }

    /// <summary>Contiguous row ranges of one episode each; the loaders sort rows so that each group is one run.</summary>
    private static List<(int Start, int End)> Groups(StepTable steps, bool isEval)
    {
        var groups = new List<(int, int)>();
        var n = steps.RowCount;
        var start = 0;
        for (var i = 1; i <= n; i++)
        {
            var boundary = i == n || (isEval
                ? steps.Stream[i] != steps.Stream[start] || steps.Episode[i] != steps.Episode[start]
                : steps.UniqueEpisode[i] != steps.UniqueEpisode[start] || steps.Iteration[i] != steps.Iteration[start]);
            if (boundary)
            {
                groups.Add((start, i));
                start = i;
            }
        }

        return groups;
    }

    private static readonly string[] s_quintileNames = ["1st", "2nd", "3rd", "4th", "5th"];

    /// <summary>Equal-width bins over the episode numbers (spec 6.3), labelled 1st..5th.</summary>
    internal static string[] Quintiles(ReadOnlySpan<int> values)
    {
        var result = new string[values.Length];
        if (values.Length == 0)
        {
            return result;
        }

        double mn = int.MaxValue, mx = int.MinValue;
        foreach (var v in values)
        {
            mn = Math.Min(mn, v);
            mx = Math.Max(mx, v);
        }

        var edges = new double[6];
        if (mn < mx)
        {
            var step = (mx - mn) / 5;
            for (var k = 0; k < 5; k++)
            {
                edges[k] = (k * step) + mn;
            }

            edges[5] = mx;
            edges[0] = mn - (0.001 * (mx - mn));
        }
        else
        {
            var lo = mn == 0 ? -0.001 : mn - (0.001 * Math.Abs(mn));
            var hi = mx == 0 ? 0.001 : mx + (0.001 * Math.Abs(mx));
            for (var k = 0; k < 6; k++)
            {
                edges[k] = lo + ((hi - lo) * k / 5);
            }
        }

        for (var i = 0; i < values.Length; i++)
        {
            double x = values[i];
            var bin = 4;
            for (var k = 0; k < 5; k++)
            {
                if (x > edges[k] && x <= edges[k + 1])
                {
                    bin = k;
                    break;
                }
            }

            result[i] = s_quintileNames[bin];
        }

        return result;
    }

    /// <inheritdoc/>
    protected override Table Create(IReadOnlyList<Column> columns) => new EpisodeTable(columns, IsEvaluation, Report);

    /// <summary>Only the completed laps.</summary>
    public EpisodeTable CompletedLaps()
    {
        var complete = Complete;
        var rows = new List<int>();
        for (var i = 0; i < RowCount; i++)
        {
            if (complete[i] == 1)
            {
                rows.Add(i);
            }
        }

        return (EpisodeTable)Select(rows.ToArray());
    }
}
