using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Rewards;

/// <summary>
/// Old (logged) against new (replayed) reward: how many steps agree, how the per-episode totals correlate, and which
/// episodes change rank most.
/// </summary>
/// <remarks>
/// When the function is the one the model trained with, <see cref="Agreement"/> says how faithful the replay is; for a
/// new function the totals and rank changes say what it would reward differently.
/// </remarks>
public sealed class RewardComparison
{
    private RewardComparison(RewardReplayResult result, int matching, double correlation, Table episodes)
    {
        Result = result;
        MatchingSteps = matching;
        EpisodeCorrelation = correlation;
        Episodes = episodes;
    }

    /// <summary>The replay compared.</summary>
    public RewardReplayResult Result { get; }

    /// <summary>Replayed steps (all but <c>prepare</c> and <c>pause</c> rows).</summary>
    public int Steps => Result.Params.Count;

    /// <summary>Replayed steps whose new reward equals the logged one: |new − logged| ≤ 1e-6 · max(1, |logged|).</summary>
    public int MatchingSteps { get; }

    /// <summary><see cref="MatchingSteps"/> / <see cref="Steps"/>.</summary>
    public double Agreement => Steps == 0 ? double.NaN : (double)MatchingSteps / Steps;

    /// <summary>Pearson correlation of the per-episode totals, logged against new.</summary>
    public double EpisodeCorrelation { get; }

    /// <summary>
    /// One row per episode: the episode's keys (<c>iteration, episode</c>, plus <c>unique_episode, worker</c> with several
    /// workers; evaluation: <c>stream, episode</c>), <c>reward, new_reward</c> (totals), <c>rank, new_rank</c> (1 = highest
    /// total) and <c>rank_change</c> (rank − new_rank: positive moved up).
    /// </summary>
    public Table Episodes { get; }

    /// <summary>True when a step's new reward counts as equal to the logged one.</summary>
    public static bool Matches(double logged, double replayed) => Math.Abs(replayed - logged) <= 1e-6 * Math.Max(1, Math.Abs(logged));

    /// <summary>Compares a replay with the logged rewards.</summary>
    public static RewardComparison Analyze(RewardReplayResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var table = result.Params;
        var steps = table.Steps;
        var logged = steps.Reward;
        var matching = 0;
        for (var i = 0; i < table.Count; i++)
        {
            if (Matches(logged[table.SourceRows[i]], result.NewReward[i]))
            {
                matching++;
            }
        }

        var newPerRow = result.NewRewardPerRow();
        var training = steps.Kind == StepTableKind.Training;
        long Key(int row) => training ? steps.UniqueEpisode[row] : ((long)steps.Stream[row] << 32) | (uint)steps.Episode[row];
        var starts = new List<int>();
        for (var row = 0; row < steps.RowCount; row++)
        {
            if (row == 0 || Key(row) != Key(row - 1))
            {
                starts.Add(row);
            }
        }

        var n = starts.Count;
        var oldTotal = new double[n];
        var newTotal = new double[n];
        for (var e = 0; e < n; e++)
        {
            var end = e + 1 < n ? starts[e + 1] : steps.RowCount;
            for (var row = starts[e]; row < end; row++)
            {
                // Missing values are skipped, as pandas sums them.
                oldTotal[e] += double.IsNaN(logged[row]) ? 0 : logged[row];
                newTotal[e] += double.IsNaN(newPerRow[row]) ? 0 : newPerRow[row];
            }
        }

        var rank = Ranks(oldTotal);
        var newRank = Ranks(newTotal);
        var columns = new List<Column>();
        int[] Pick(ReadOnlySpan<int> column)
        {
            var values = new int[n];
            for (var e = 0; e < n; e++)
            {
                values[e] = column[starts[e]];
            }

            return values;
        }

        if (training)
        {
            columns.Add(new Column<int>("iteration", Pick(steps.Iteration)));
            columns.Add(new Column<int>("episode", Pick(steps.Episode)));
            if (steps.WorkerCount > 1)
            {
                columns.Add(new Column<int>("unique_episode", Pick(steps.UniqueEpisode)));
                columns.Add(new Column<int>("worker", [.. starts.Select(r => (int)steps.Worker[r])]));
            }
        }
        else
        {
            columns.Add(new Column<string>("stream", [.. starts.Select(r => steps.Streams[steps.Stream[r]])]));
            columns.Add(new Column<int>("episode", Pick(steps.Episode)));
        }

        columns.Add(new Column<double>("reward", oldTotal));
        columns.Add(new Column<double>("new_reward", newTotal));
        columns.Add(new Column<int>("rank", rank));
        columns.Add(new Column<int>("new_rank", newRank));
        columns.Add(new Column<int>("rank_change", [.. rank.Select((r, e) => r - newRank[e])]));
        return new RewardComparison(result, matching, Pearson(oldTotal, newTotal), new Table(columns));
    }

    /// <summary>The <paramref name="top"/> episodes whose rank changes most (largest |rank_change|, then the higher new rank).</summary>
    public Table RankChanges(int top = 10)
    {
        var change = Episodes.Get<int>("rank_change").ToArray();
        var newRank = Episodes.Get<int>("new_rank").ToArray();
        var order = Enumerable.Range(0, Episodes.RowCount)
            .OrderByDescending(e => Math.Abs(change[e]))
            .ThenBy(e => newRank[e])
            .Take(top)
            .ToArray();
        return Episodes.Select(order);
    }

    /// <summary>
    /// One row per replayed step: <c>iteration, episode, steps</c> (plus <c>worker, unique_episode</c> with several workers;
    /// evaluation: <c>stream, episode, steps</c>), <c>reward</c> (logged), <c>new_reward</c>, and with
    /// <paramref name="withParams"/> every scalar params key (<see cref="RewardParamsTable.ToColumns"/>).
    /// </summary>
    public Table PerStep(bool withParams = false)
    {
        var table = Result.Params;
        var steps = table.Steps;
        var rows = table.SourceRows;
        T[] Pick<T>(ReadOnlySpan<T> column)
        {
            var values = new T[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                values[i] = column[rows[i]];
            }

            return values;
        }

        var columns = new List<Column>();
        if (steps.Kind == StepTableKind.Training)
        {
            columns.Add(new Column<int>("iteration", Pick(steps.Iteration)));
            columns.Add(new Column<int>("episode", Pick(steps.Episode)));
            columns.Add(new Column<int>("steps", Pick(steps.Steps)));
            if (steps.WorkerCount > 1)
            {
                columns.Add(new Column<int>("worker", [.. rows.Select(r => (int)steps.Worker[r])]));
                columns.Add(new Column<int>("unique_episode", Pick(steps.UniqueEpisode)));
            }
        }
        else
        {
            columns.Add(new Column<string>("stream", [.. rows.Select(r => steps.Streams[steps.Stream[r]])]));
            columns.Add(new Column<int>("episode", Pick(steps.Episode)));
            columns.Add(new Column<int>("steps", Pick(steps.Steps)));
        }

        columns.Add(new Column<double>("reward", Pick(steps.Reward)));
        columns.Add(new Column<double>("new_reward", Result.NewReward));
        if (withParams)
        {
            columns.AddRange(table.ToColumns());
        }

        return new Table(columns);
    }

    private static int[] Ranks(double[] totals)
    {
        var order = Enumerable.Range(0, totals.Length).OrderByDescending(e => totals[e]).ToArray();
        var rank = new int[totals.Length];
        for (var r = 0; r < order.Length; r++)
        {
            rank[order[r]] = r + 1;
        }

        return rank;
    }

    private static double Pearson(double[] a, double[] b)
    {
        var n = a.Length;
        if (n < 2)
        {
            return double.NaN;
        }

        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < n; i++)
        {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }

        return sab / Math.Sqrt(saa * sbb);
    }
}
