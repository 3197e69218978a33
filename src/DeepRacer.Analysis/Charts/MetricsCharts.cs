using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Metrics;

namespace DeepRacer.Analysis.Charts;

/// <summary>A summary column drawn by <see cref="MetricsCharts.PlotProgress"/>: which value, its legend and colour.</summary>
/// <param name="Column">A summary column name, e.g. <c>train_completion</c>.</param>
/// <param name="Label">Legend text.</param>
/// <param name="Color">Colour as <c>#rrggbb</c>.</param>
public sealed record ProgressSeries(string Column, string Label, string Color);

/// <summary>Prepares the metrics charts as <see cref="ChartData"/> (the console chart, the notebook's plotProgress views, best laps, per-episode scatters, policy).</summary>
public static class MetricsCharts
{
    /// <summary>Training colour (matplotlib's blue, as the notebooks).</summary>
    public const string Blue = ChartPalette.Blue;

    /// <summary>Evaluation colour (matplotlib's orange).</summary>
    public const string Orange = ChartPalette.Orange;

    /// <summary>Reward colour.</summary>
    public const string Green = ChartPalette.Green;

    /// <summary>Fourth colour (workers beyond the first three, KL).</summary>
    public const string Red = ChartPalette.Red;

    private static readonly string[] s_workerColors = [.. ChartPalette.Series];

    /// <summary>The reference's default series: evaluation then training completion.</summary>
    public static readonly IReadOnlyList<ProgressSeries> CompletionSeries =
        [new("eval_completion", "Evaluation", Orange), new("train_completion", "Training", Blue)];

    /// <summary>
    /// The console's training chart: mean training reward per iteration on the left axis, mean training and evaluation
    /// completion (%) on the right axis; x is the master iteration.
    /// </summary>
    public static ChartData Progress(TrainingMetrics metrics, MetricsFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var summary = metrics.GetSummary(SummaryMethod.Mean, filter);
        var x = summary.Select(r => (double)r.MasterIteration).ToArray();
        var panel = new ChartPanel(
            "Training progress",
            "Iteration",
            "Average reward (training)",
            [
                Finite("Average reward (training)", Green, x, [.. summary.Select(r => r.TrainReward)], SeriesStyle.LineWithMarkers),
                Finite("Average completion % (training)", Blue, x, [.. summary.Select(r => r.TrainCompletion)], SeriesStyle.LineWithMarkers) with { RightAxis = true },
                Finite("Average completion % (evaluation)", Orange, x, [.. summary.Select(r => r.EvalCompletion)], SeriesStyle.LineWithMarkers) with { RightAxis = true },
            ])
        {
            RightYLabel = "Completion %",
            RightYRange = (0, 105),
            VerticalLines = RoundStarts(metrics, filter),
        };
        return new ChartData("progress", [panel], 1200, 500);
    }

    /// <summary>
    /// The reference's <c>plotProgress</c> (spec 4.6): one panel per method, side by side; for each series the raw
    /// per-iteration values as dots and their trailing rolling aggregate (minimum one value, NaN skipped) as a line;
    /// x is categorical over the summary's <c>r-i</c> labels, with a dashed line where each later round starts.
    /// </summary>
    /// <param name="metrics">The metrics.</param>
    /// <param name="methods">One panel per method.</param>
    /// <param name="series">Summary columns to draw; <see cref="CompletionSeries"/> when null.</param>
    /// <param name="rollingAverage">Rolling window in iterations.</param>
    /// <param name="filter">Rounds, workers, completed laps only.</param>
    /// <param name="name">File stem.</param>
    /// <param name="title">Panel title; <c>{0}</c> is replaced by the method.</param>
    /// <param name="yLabel">Y label; <c>{0}</c> is replaced by the method.</param>
    /// <param name="rollingMethod">How the rolling window aggregates (the reference's rolling_average_method).</param>
    public static ChartData PlotProgress(
        TrainingMetrics metrics,
        IReadOnlyList<SummaryMethod> methods,
        IReadOnlyList<ProgressSeries>? series = null,
        int rollingAverage = 5,
        MetricsFilter? filter = null,
        string name = "completion",
        string title = "Completion per Iteration ({0})",
        string yLabel = "Percent complete ({0})",
        SummaryMethod rollingMethod = SummaryMethod.Mean)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(methods);
        series ??= CompletionSeries;
        var panels = new List<ChartPanel>();
        foreach (var method in methods)
        {
            var summary = metrics.GetSummary(method, filter);
            var x = Enumerable.Range(0, summary.Count).Select(i => (double)i).ToArray();
            var drawn = new List<ChartSeries>();
            foreach (var s in series)
            {
                var y = summary.Select(r => SummaryValue(r, s.Column)).ToArray();
                drawn.Add(Finite(s.Label, s.Color, x, y, SeriesStyle.Dots) with { MarkerSize = 5, Opacity = 0.5 });
                drawn.Add(Finite($"{s.Label} (rolling {rollingAverage})", s.Color, x, Rolling(y, rollingAverage, rollingMethod), SeriesStyle.Line));
            }

            var every = Math.Max((int)Math.Floor(summary.Count / (15.0 / methods.Count)), 1);
            var m = method.ToString().ToLowerInvariant();
            panels.Add(new ChartPanel(string.Format(CultureInfo.InvariantCulture, title, m), "Iteration", string.Format(CultureInfo.InvariantCulture, yLabel, m), drawn)
            {
                XTicks = [.. Enumerable.Range(0, summary.Count).Where(i => i % every == 0).Select(i => ((double)i, summary[i].RoundIteration))],
                VerticalLines = [.. Enumerable.Range(0, summary.Count).Where(i => i > 0 && RoundOf(summary[i]) != RoundOf(summary[i - 1])).Select(i => (double)i)],
            });
        }

        return new ChartData(name, panels, 1200, 500);
    }

    /// <summary>The notebook's completion panels: median, mean and max completion per iteration (rolling 5).</summary>
    public static ChartData Completion(TrainingMetrics metrics, MetricsFilter? filter = null) =>
        PlotProgress(metrics, [SummaryMethod.Median, SummaryMethod.Mean, SummaryMethod.Max], CompletionSeries, 5, filter);

    /// <summary>The notebook's share of completed laps per iteration (mean of complete, rolling 20).</summary>
    public static ChartData CompletedLaps(TrainingMetrics metrics, MetricsFilter? filter = null) =>
        PlotProgress(metrics, [SummaryMethod.Mean], [new("eval_completed", "Evaluation", Orange), new("train_completed", "Training", Blue)], 20, filter,
            "completed-laps", "Completed laps per Iteration ({0})", "Completed laps, fraction ({0})");

    /// <summary>The notebook's lap time of completed laps per iteration (min and mean, completed laps only, rolling 15).</summary>
    public static ChartData LapTime(TrainingMetrics metrics, MetricsFilter? filter = null) =>
        PlotProgress(metrics, [SummaryMethod.Min, SummaryMethod.Mean], [new("eval_time", "Evaluation", Orange), new("train_time", "Training", Blue)], 15,
            (filter ?? MetricsFilter.All) with { CompletedLapsOnly = true }, "lap-time", "Laptime for completed laps ({0})", "Lap time in seconds ({0})");

    /// <summary>The fastest complete lap of each iteration, training and evaluation, against the master iteration.</summary>
    public static ChartData BestLapProgression(TrainingMetrics metrics, MetricsFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var table = metrics.BestLapProgression(filter);
        var x = table.Get<int>("master_iteration").ToArray().Select(v => (double)v).ToArray();
        var panel = new ChartPanel("Fastest complete lap per iteration", "Iteration", "Lap time (s)",
        [
            Finite("Training", Blue, x, table.Get<double>("train_best_time").ToArray(), SeriesStyle.Dots) with { MarkerSize = 7 },
            Finite("Evaluation", Orange, x, table.Get<double>("eval_best_time").ToArray(), SeriesStyle.Dots) with { MarkerSize = 7 },
        ])
        { VerticalLines = RoundStarts(metrics, filter) };
        return new ChartData("best-lap-progression", [panel], 1200, 500);
    }

    /// <summary>Completion of every training episode, one colour per worker; x continues across rounds.</summary>
    public static ChartData CompletionPerEpisode(TrainingMetrics metrics, MetricsFilter? filter = null) =>
        PerEpisode(metrics, filter, "completion-per-episode", "Completion per episode", "Completion %", r => r.Completion);

    /// <summary>Reward of every training episode, one colour per worker; x continues across rounds.</summary>
    public static ChartData RewardPerEpisode(TrainingMetrics metrics, MetricsFilter? filter = null) =>
        PerEpisode(metrics, filter, "reward-per-episode", "Reward per episode", "Reward", r => r.Reward);

    /// <summary>
    /// The policy side per iteration, stacked: entropy, KL divergence and surrogate loss (means over the epochs of each
    /// update) against the master iteration.
    /// </summary>
    public static ChartData Policy(IReadOnlyList<PolicyRound> policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var table = PolicyTraining.PerIteration(policy);
        var x = table.Get<int>("master_iteration").ToArray().Select(v => (double)v).ToArray();
        ChartPanel Panel(string title, string column, string color) =>
            new(title, "Iteration", title, [Finite(title, color, x, table.Get<double>(column).ToArray(), SeriesStyle.LineWithMarkers)]);
        return new ChartData("policy", [Panel("Entropy", "entropy", Green), Panel("KL divergence", "kl_divergence", Red), Panel("Surrogate loss", "surrogate_loss", Blue)], 1200, 900)
        {
            Layout = PanelLayout.Rows,
        };
    }

    /// <summary>Every metrics chart (and the policy chart when a trainer log was parsed), with distinct names.</summary>
    public static IReadOnlyList<ChartData> All(TrainingMetrics metrics, MetricsFilter? filter = null, IReadOnlyList<PolicyRound>? policy = null)
    {
        List<ChartData> charts =
        [
            Progress(metrics, filter),
            Completion(metrics, filter),
            CompletedLaps(metrics, filter),
            LapTime(metrics, filter),
            BestLapProgression(metrics, filter),
            CompletionPerEpisode(metrics, filter),
            RewardPerEpisode(metrics, filter),
        ];
        if (policy is not null && policy.Any(p => p.Policy.Epochs.Count > 0))
        {
            charts.Add(Policy(policy));
        }

        return charts;
    }

    /// <summary>A trailing rolling aggregate over <paramref name="window"/> values with at least one non-NaN value (pandas <c>rolling(w, min_periods=1)</c>).</summary>
    public static double[] Rolling(IReadOnlyList<double> values, int window, SummaryMethod method = SummaryMethod.Mean)
    {
        ArgumentNullException.ThrowIfNull(values);
        window = Math.Max(window, 1);
        var result = new double[values.Count];
        var buffer = new List<double>(window);
        for (var i = 0; i < values.Count; i++)
        {
            buffer.Clear();
            for (var j = Math.Max(0, i - window + 1); j <= i; j++)
            {
                if (!double.IsNaN(values[j]))
                {
                    buffer.Add(values[j]);
                }
            }

            result[i] = buffer.Count == 0 ? double.NaN : method switch
            {
                SummaryMethod.Min => buffer.Min(),
                SummaryMethod.Max => buffer.Max(),
                SummaryMethod.Median => Median(buffer),
                _ => buffer.Sum() / buffer.Count,
            };
        }

        return result;
    }

    /// <summary>A summary column by its reference name.</summary>
    /// <exception cref="ArgumentException">Not a summary column.</exception>
    public static double SummaryValue(SummaryRow row, string column) => column switch
    {
        "master_iteration" => row.MasterIteration,
        "train_reward" => row.TrainReward,
        "train_completion" => row.TrainCompletion,
        "train_time" => row.TrainTime,
        "train_completed" => row.TrainCompleted,
        "train_episodes" => row.TrainEpisodes,
        "eval_reward" => row.EvalReward,
        "eval_completion" => row.EvalCompletion,
        "eval_time" => row.EvalTime,
        "eval_completed" => row.EvalCompleted,
        "eval_episodes" => row.EvalEpisodes,
        _ => throw new ArgumentException($"'{column}' is not a summary column; use one of {string.Join(", ", TrainingMetrics.SummaryColumnNames.Skip(1))}.", nameof(column)),
    };

    private static ChartData PerEpisode(TrainingMetrics metrics, MetricsFilter? filter, string name, string title, string yLabel, Func<MetricsRow, double> value)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        filter ??= MetricsFilter.All;

        // Episode numbers restart with each round (cloned model): shift each round past the previous rounds' episodes.
        var offsets = new Dictionary<int, int>();
        var offset = 0;
        foreach (var round in metrics.Rounds)
        {
            offsets[round] = offset;
            offset += metrics.Rows.Where(r => r.Round == round).Select(r => r.Episode).DefaultIfEmpty(0).Max();
        }

        var rows = metrics.Training.Where(r => filter.Accepts(r)).ToArray();
        var workers = rows.Select(r => r.Worker).Distinct().Order().ToArray();
        var series = workers.Select(w =>
        {
            var mine = rows.Where(r => r.Worker == w).ToArray();
            var label = workers.Length > 1 ? $"Worker {w}" : "Training";
            return Finite(label, s_workerColors[Array.IndexOf(workers, w) % s_workerColors.Length],
                [.. mine.Select(r => (double)(r.Episode + offsets[r.Round]))], [.. mine.Select(value)], SeriesStyle.Dots) with { MarkerSize = 4, Opacity = 0.6 };
        }).ToArray();
        var starts = metrics.Rounds.Skip(1).Where(r => filter.Rounds is null || filter.Rounds.Contains(r)).Select(r => offsets[r] + 0.5).ToArray();
        return new ChartData(name, [new ChartPanel(title, "Episode", yLabel, series) { VerticalLines = starts }], 1200, 500);
    }

    private static string RoundOf(SummaryRow row) => row.RoundIteration[..row.RoundIteration.IndexOf('-', StringComparison.Ordinal)];

    private static IReadOnlyList<double> RoundStarts(TrainingMetrics metrics, MetricsFilter? filter) =>
        [.. metrics.Rounds.Skip(1)
            .Where(r => filter?.Rounds is null || filter.Rounds.Contains(r))
            .Select(r => metrics.FirstMasterIteration(r))
            .OfType<int>()
            .Select(m => m - 0.5)];

    /// <summary>A series with the missing (NaN) points left out, as matplotlib leaves them undrawn.</summary>
    private static ChartSeries Finite(string label, string color, IReadOnlyList<double> x, IReadOnlyList<double> y, SeriesStyle style)
    {
        var xs = new List<double>(x.Count);
        var ys = new List<double>(x.Count);
        for (var i = 0; i < x.Count; i++)
        {
            if (double.IsFinite(x[i]) && double.IsFinite(y[i]))
            {
                xs.Add(x[i]);
                ys.Add(y[i]);
            }
        }

        return new ChartSeries(label, color, xs, ys, style);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
