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
    private EpisodeTable(IReadOnlyList<Column> columns, bool isEvaluation) : base(columns) => IsEvaluation = isEvaluation;

    /// <summary>True for evaluation or leaderboard episodes.</summary>
    public bool IsEvaluation { get; }

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
        var multiWorker = !isEval && steps.WorkerCount > 1;
        var groups = Groups(steps, isEval);
        var n = groups.Count;

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
        var replayed = new double[n];
        var speed = new double[n];
        var timeIfComplete = new double[n];
        var rewardIfComplete = new double[n];
        var complete = new int[n];
        var crashed = new int[n];
        var offTrack = new int[n];
        var stepTimeMean = new double[n];
        var stepTimeMax = new double[n];
        var stepTimeStd = new double[n];

        var tstamp = steps.Tstamp;
        var xs = steps.X;
        var ys = steps.Y;
        var status = steps.Status;
        for (var g = 0; g < n; g++)
        {
            var (start, end) = groups[g];
            int minSteps = int.MaxValue, maxSteps = int.MinValue, crashes = 0, offs = 0, deltas = 0;
            double maxProgress = double.NaN, sumTime = 0, sumDist = 0, sumReward = 0, sumNewReward = 0, sumSpeed = 0, speeds = 0;
            double maxDelta = double.NaN, deltaSum = 0, deltaSumSq = 0;
            for (var i = start; i < end; i++)
            {
                double dt, dd;
                if (status[i] == EpisodeStatus.Prepare)
                {
                    dt = 0;
                    dd = 0;
                }
                else if (i == 0)
                {
                    // The reference's first difference is NaN, which its sums skip.
                    dt = double.NaN;
                    dd = double.NaN;
                }
                else
                {
                    dt = tstamp[i] - tstamp[i - 1];
                    double dx = (double)xs[i] - xs[i - 1], dy = (double)ys[i] - ys[i - 1];
                    dd = Math.Sqrt((dx * dx) + (dy * dy));
                }

                if (!double.IsNaN(dt))
                {
                    sumTime += dt;
                    deltas++;
                    deltaSum += dt;
                    deltaSumSq += dt * dt;
                    maxDelta = double.IsNaN(maxDelta) ? dt : Math.Max(maxDelta, dt);
                }

                if (!double.IsNaN(dd))
                {
                    sumDist += dd;
                }

                var s = steps.Steps[i];
                minSteps = Math.Min(minSteps, s);
                maxSteps = Math.Max(maxSteps, s);
                var p = steps.Progress[i];
                if (!double.IsNaN(p) && (double.IsNaN(maxProgress) || p > maxProgress))
                {
                    maxProgress = p;
                }

                var r = steps.Reward[i];
                if (!double.IsNaN(r))
                {
                    sumReward += r;
                }

                if (newReward is not null && !double.IsNaN(newReward[i]))
                {
                    sumNewReward += newReward[i];
                }

                var v = steps.Speed[i];
                if (!float.IsNaN(v))
                {
                    sumSpeed += v;
                    speeds++;
                }

                if (status[i] == EpisodeStatus.Crashed)
                {
                    crashes++;
                }
                else if (status[i] == EpisodeStatus.OffTrack)
                {
                    offs++;
                }
            }

            firstKey[g] = steps.Iteration[start];
            episode[g] = steps.Episode[start];
            if (isEval)
            {
                streamKey[g] = steps.Streams[steps.Stream[start]];
            }
            else
            {
                uniqueEpisode[g] = steps.UniqueEpisode[start];
                worker[g] = steps.Worker[start];
            }

            stepCount[g] = maxSteps - minSteps + 1;
            startAt[g] = steps.ClosestWaypoint[start];
            progress[g] = maxProgress;
            time[g] = sumTime;
            dist[g] = sumDist;
            reward[g] = sumReward;
            replayed[g] = sumNewReward;
            speed[g] = speeds == 0 ? double.NaN : sumSpeed / speeds;
            timeIfComplete[g] = sumTime * 100 / maxProgress;
            rewardIfComplete[g] = sumReward * 100 / maxProgress;
            complete[g] = maxProgress == 100 ? 1 : 0;
            crashed[g] = crashes;
            offTrack[g] = offs;
            stepTimeMean[g] = deltas == 0 ? double.NaN : deltaSum / deltas;
            stepTimeMax[g] = maxDelta;
            stepTimeStd[g] = deltas < 2 ? double.NaN : Math.Sqrt(Math.Max(0, (deltaSumSq - (deltaSum * deltaSum / deltas)) / (deltas - 1)));
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
            columns.Add(new Column<double>("new_reward", newReward is null ? (double[])reward.Clone() : replayed));
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
        return new EpisodeTable(columns, isEval);
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
    protected override Table Create(IReadOnlyList<Column> columns) => new EpisodeTable(columns, IsEvaluation);

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
