using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Episodes;

/// <summary>The totals line of a stability analysis (the reference's <c>OVERALL</c> row).</summary>
/// <param name="Count">Step intervals in all groups.</param>
/// <param name="AvgMs">Count-weighted mean interval, ms.</param>
/// <param name="StdMs">Pooled population standard deviation, ms.</param>
/// <param name="MaxMs">Largest interval, ms.</param>
/// <param name="P95Ms">Unweighted mean of the groups' 95th percentiles, ms.</param>
/// <param name="Rtf">Mean real-time factor of the groups that have one.</param>
/// <param name="TrainTimeS">Mean simulation (episode collection) time per iteration, seconds.</param>
/// <param name="PolicyTimeS">Mean policy-update time between iterations, seconds.</param>
/// <param name="Ratio">Mean ratio of the two.</param>
public sealed record StabilityOverall(long Count, double AvgMs, double StdMs, double MaxMs, double P95Ms, double? Rtf, double? TrainTimeS, double? PolicyTimeS, double? Ratio)
{
    /// <summary>The step interval the simulator aims at, ms (15 steps per second).</summary>
    public const double TargetMs = 66.7;

    /// <summary>A mean step interval above this is too slow, ms.</summary>
    public const double SlowMeanMs = 70;

    /// <summary>A 95th percentile above this is too slow, ms.</summary>
    public const double SlowP95Ms = 90;

    /// <summary>
    /// The verdict: the simulator is too slow (mean over <see cref="SlowMeanMs"/> or 95th percentile over <see cref="SlowP95Ms"/>),
    /// which is likely to hurt training. False when there are no intervals.
    /// </summary>
    public bool IsTooSlow => AvgMs > SlowMeanMs || P95Ms > SlowP95Ms;
}

/// <summary>Per-group step timing and the totals.</summary>
/// <param name="Groups">One row per (worker, iteration) or (stream, iteration).</param>
/// <param name="Overall">The totals.</param>
public sealed record StabilityReport(Table Groups, StabilityOverall Overall)
{
    /// <summary>What the load read (files, rows, skipped lines), when the report comes from <see cref="DeepRacerLog.LoadStabilityAsync"/>.</summary>
    public LoadReport? Report { get; init; }
}

/// <summary>
/// Simulator stability (spec 7.7): intervals between steps (the simulator targets 15 steps per second, ~66.7 ms),
/// their spread, and the real-time factor when a wall clock is logged.
/// </summary>
/// <remarks>Notebook guidance: a mean over 70 ms or a 95th percentile over 90 ms means the simulator is too slow for good training.</remarks>
public static class StabilityAnalysis
{
    /// <summary>Analyses a training, evaluation or leaderboard step table.</summary>
    public static StabilityReport Analyze(StepTable steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var isEval = steps.Kind != StepTableKind.Training;
        var groups = new SortedDictionary<(string Stream, int Worker, int Iteration), List<int>>(GroupOrder(isEval));
        for (var r = 0; r < steps.RowCount; r++)
        {
            var key = isEval ? (steps.Streams[steps.Stream[r]], 0, steps.Iteration[r]) : ("", steps.Worker[r], steps.Iteration[r]);
            if (!groups.TryGetValue(key, out var rows))
            {
                groups[key] = rows = [];
            }

            rows.Add(r);
        }

        var timing = isEval || !steps.HasWallClock ? null : Timing(steps);
        var figures = new List<GroupFigures>(groups.Count);
        foreach (var ((stream, worker, iter), rows) in groups)
        {
            if (Figures(stream, worker, iter, Deltas(steps, rows), steps.HasWallClock ? WallPoints(steps, rows) : []) is { } group)
            {
                figures.Add(group);
            }
        }

        return Report(isEval, figures, timing);
    }

    /// <summary>The figures of one group from its step intervals and wall-clock points (in table order); null when it has no interval.</summary>
    internal static GroupFigures? Figures(string stream, int worker, int iteration, List<double> deltas, List<(double Sim, double Wall)> points)
    {
        if (deltas.Count == 0)
        {
            return null;
        }

        var summary = Summarize(deltas);
        return new GroupFigures(stream, worker, iteration, deltas.Count, summary.Mean, summary.Max, summary.P95, summary.Std, RealTimeFactor(points) ?? double.NaN);
    }

    /// <summary>Groups in the report's order: by stream then iteration (evaluation), by iteration then worker (training).</summary>
    internal static Comparer<(string Stream, int Worker, int Iteration)> GroupOrder(bool isEval) => Comparer<(string Stream, int Worker, int Iteration)>.Create((a, b) =>
        isEval
            ? string.CompareOrdinal(a.Stream, b.Stream) is var s and not 0 ? s : a.Iteration.CompareTo(b.Iteration)
            : a.Iteration.CompareTo(b.Iteration) is var i and not 0 ? i : a.Worker.CompareTo(b.Worker));

    /// <summary>The table and totals from the groups' figures (in <see cref="GroupOrder"/>) and worker 0's iteration timing.</summary>
    internal static StabilityReport Report(bool isEval, List<GroupFigures> groups, Dictionary<int, (double Train, double? Policy, double? Ratio)>? timing)
    {
        var keyStream = new List<string>();
        var keyWorker = new List<int>();
        var iteration = new List<int>();
        var count = new List<int>();
        var avg = new List<double>();
        var max = new List<double>();
        var p95 = new List<double>();
        var std = new List<double>();
        var rtf = new List<double>();
        var train = new List<double>();
        var policy = new List<double>();
        var ratio = new List<double>();
        foreach (var group in groups)
        {
            keyStream.Add(group.Stream);
            keyWorker.Add(group.Worker);
            iteration.Add(group.Iteration);
            count.Add(group.Count);
            avg.Add(group.Mean);
            max.Add(group.Max);
            p95.Add(group.P95);
            std.Add(group.Std);
            rtf.Add(group.Rtf);
            if (timing is not null && timing.TryGetValue(group.Iteration, out var t))
            {
                train.Add(t.Train);
                policy.Add(t.Policy ?? double.NaN);
                ratio.Add(t.Ratio ?? double.NaN);
            }
            else
            {
                train.Add(double.NaN);
                policy.Add(double.NaN);
                ratio.Add(double.NaN);
            }
        }

        var columns = new List<Column>
        {
            isEval ? new Column<string>("stream", [.. keyStream]) : new Column<int>("worker", [.. keyWorker]),
            new Column<int>("iteration", [.. iteration]),
            new Column<int>("count", [.. count]),
            new Column<double>("avg_ms", [.. avg]),
            new Column<double>("max_ms", [.. max]),
            new Column<double>("p95_ms", [.. p95]),
            new Column<double>("std_ms", [.. std]),
            new Column<double>("rtf", [.. rtf]),
        };
        if (timing is { Count: > 0 })
        {
            columns.Add(new Column<double>("train_time_s", [.. train]));
            columns.Add(new Column<double>("policy_time_s", [.. policy]));
            columns.Add(new Column<double>("ratio", [.. ratio]));
        }

        return new StabilityReport(new Table(columns), Overall(count, avg, std, max, p95, rtf, timing));
    }

    /// <summary>Intervals between consecutive steps of each episode, in seconds; prepare rows and negative intervals dropped.</summary>
    private static List<double> Deltas(StepTable steps, List<int> rows)
    {
        var deltas = new List<double>(rows.Count);
        var start = 0;
        while (start < rows.Count)
        {
            var end = start + 1;
            while (end < rows.Count && steps.Episode[rows[end]] == steps.Episode[rows[start]])
            {
                end++;
            }

            // Rows of an episode are already ordered by steps (the loaders sort them).
            for (var k = start; k + 1 < end; k++)
            {
                var next = rows[k + 1];
                if (steps.Status[next] == EpisodeStatus.Prepare)
                {
                    continue;
                }

                var d = steps.Tstamp[next] - steps.Tstamp[rows[k]];
                if (d >= 0)
                {
                    deltas.Add(d);
                }
            }

            start = end;
        }

        return deltas;
    }

    private static (double Mean, double Std, double Max, double P95) Summarize(List<double> deltas)
    {
        var sorted = deltas.ToArray();
        Array.Sort(sorted);
        var n = sorted.Length;
        var mean = sorted.Average();
        var variance = sorted.Sum(d => (d - mean) * (d - mean)) / n;
        var position = 0.95 * (n - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, n - 1);
        var p95 = sorted[lo] + ((sorted[hi] - sorted[lo]) * (position - lo));
        return (mean * 1000, Math.Sqrt(variance) * 1000, sorted[^1] * 1000, p95 * 1000);
    }

    /// <summary>The (simulation, wall clock) time of the rows that have both, in table order.</summary>
    private static List<(double Sim, double Wall)> WallPoints(StepTable steps, List<int> rows) =>
        [.. rows.Where(r => !double.IsNaN(steps.Tstamp[r]) && !double.IsNaN(steps.WallClock[r])).Select(r => (steps.Tstamp[r], steps.WallClock[r]))];

    /// <summary>Simulated over wall-clock time between the points ordered by simulation time (a stable sort: ties keep table order); null without wall-clock time.</summary>
    private static double? RealTimeFactor(List<(double Sim, double Wall)> unordered)
    {
        var points = unordered.OrderBy(p => p.Sim).ToList();
        double sim = 0, wall = 0;
        for (var i = 1; i < points.Count; i++)
        {
            double dSim = points[i].Sim - points[i - 1].Sim, dWall = points[i].Wall - points[i - 1].Wall;
            if (dSim >= 0 && dWall > 0)
            {
                sim += dSim;
                wall += dWall;
            }
        }

        return wall == 0 ? null : sim / wall;
    }

    /// <summary>Per iteration of worker 0: simulation time and the policy-update gap before the next iteration.</summary>
    private static Dictionary<int, (double Train, double? Policy, double? Ratio)> Timing(StepTable steps)
    {
        var spans = new SortedDictionary<int, (double First, double Last)>();
        for (var r = 0; r < steps.RowCount; r++)
        {
            var wall = steps.WallClock[r];
            if (steps.Worker[r] != 0 || double.IsNaN(wall))
            {
                continue;
            }

            AddSpan(spans, steps.Iteration[r], wall, wall);
        }

        return Timing(spans);
    }

    /// <summary>Widens an iteration's wall-clock span (min and max do not depend on the order the values come in).</summary>
    internal static void AddSpan(SortedDictionary<int, (double First, double Last)> spans, int iteration, double first, double last) =>
        spans[iteration] = spans.TryGetValue(iteration, out var s) ? (Math.Min(s.First, first), Math.Max(s.Last, last)) : (first, last);

    /// <summary>Per iteration: simulation time (its wall-clock span) and the policy-update gap before the next iteration.</summary>
    internal static Dictionary<int, (double Train, double? Policy, double? Ratio)> Timing(SortedDictionary<int, (double First, double Last)> spans)
    {
        var list = spans.ToList();
        var result = new Dictionary<int, (double, double?, double?)>();
        for (var i = 0; i < list.Count; i++)
        {
            var trainTime = list[i].Value.Last - list[i].Value.First;
            double? policyTime = i + 1 < list.Count ? list[i + 1].Value.First - list[i].Value.Last : null;
            if (policyTime < 0)
            {
                policyTime = null;
            }

            double? ratio = policyTime is > 0 ? trainTime / policyTime : null;
            result[list[i].Key] = (trainTime, policyTime, ratio);
        }

        return result;
    }

    private static StabilityOverall Overall(
        List<int> count, List<double> avg, List<double> std, List<double> max, List<double> p95, List<double> rtf,
        Dictionary<int, (double Train, double? Policy, double? Ratio)>? timing)
    {
        long total = count.Sum(c => (long)c);
        if (total == 0)
        {
            return new StabilityOverall(0, double.NaN, double.NaN, double.NaN, double.NaN, null, null, null, null);
        }

        var mean = count.Zip(avg, (c, a) => c * a).Sum() / total;
        var pooled = count.Select((c, i) => c * ((std[i] * std[i]) + (avg[i] * avg[i]))).Sum() / total;
        var rtfs = rtf.Where(r => !double.IsNaN(r)).ToList();
        static double? MeanOf(IEnumerable<double?> values)
        {
            var v = values.Where(x => x is not null).Select(x => x!.Value).ToList();
            return v.Count == 0 ? null : v.Average();
        }

        return new StabilityOverall(
            total,
            mean,
            Math.Sqrt(Math.Max(0, pooled - (mean * mean))),
            max.Max(),
            p95.Average(),
            rtfs.Count == 0 ? null : rtfs.Average(),
            timing is null ? null : MeanOf(timing.Values.Select(t => (double?)t.Train)),
            timing is null ? null : MeanOf(timing.Values.Select(t => t.Policy)),
            timing is null ? null : MeanOf(timing.Values.Select(t => t.Ratio)));
    }
}

/// <summary>One group's row of a stability table.</summary>
internal sealed record GroupFigures(string Stream, int Worker, int Iteration, int Count, double Mean, double Max, double P95, double Std, double Rtf);
