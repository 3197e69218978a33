using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Metrics;

/// <summary>A worker's metrics file within a round.</summary>
/// <param name="Worker">Worker number (0 = <c>TrainingMetrics.json</c>, N = <c>TrainingMetrics_N.json</c>).</param>
/// <param name="File">The parsed file.</param>
public sealed record WorkerMetrics(int Worker, TrainingMetricsFile File);

/// <summary>
/// The training metrics table of one run, possibly across rounds (cloned models) and workers: the reference's
/// <c>TrainingMetrics</c> (spec 4.3–4.5) with summaries, best laps and chart data.
/// </summary>
/// <remarks>Immutable: loading more rounds builds a new table, so a watcher can swap tables between polls.</remarks>
public sealed class TrainingMetrics
{
    /// <summary>Column names of <see cref="ToTable"/>, as the reference names them.</summary>
    public static readonly IReadOnlyList<string> ColumnNames =
        ["r-i", "round", "iteration", "master_iteration", "episode", "r-e", "worker", "trial", "phase", "reward", "completion", "time", "complete", "start_time"];

    /// <summary>Column names of a summary table.</summary>
    public static readonly IReadOnlyList<string> SummaryColumnNames =
        ["r-i", "master_iteration", "train_reward", "train_completion", "train_time", "train_completed", "train_episodes",
         "eval_reward", "eval_completion", "eval_time", "eval_completed", "eval_episodes"];

    private readonly MetricsRow[] _rows;

    private TrainingMetrics(MetricsRow[] rows, IReadOnlyList<string> sources)
    {
        _rows = rows;
        Sources = sources;
    }

    /// <summary>An empty table.</summary>
    public static TrainingMetrics Empty { get; } = new([], []);

    /// <summary>The rows, in load order (round, worker, file order).</summary>
    public IReadOnlyList<MetricsRow> Rows => _rows;

    /// <summary>The metrics files the rows come from, in load order.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>The training rows.</summary>
    public IEnumerable<MetricsRow> Training => _rows.Where(r => r.IsTraining);

    /// <summary>The in-training evaluation rows.</summary>
    public IEnumerable<MetricsRow> Evaluation => _rows.Where(r => r.IsEvaluation);

    /// <summary>The rounds present, ascending.</summary>
    public IReadOnlyList<int> Rounds => [.. _rows.Select(r => r.Round).Distinct().Order()];

    /// <summary>The workers present, ascending.</summary>
    public IReadOnlyList<int> Workers => [.. _rows.Select(r => r.Worker).Distinct().Order()];

    /// <summary>The highest master iteration, or −1 when empty.</summary>
    public int LatestMasterIteration => _rows.Length == 0 ? -1 : _rows.Max(r => r.MasterIteration);

    /// <summary>
    /// Loads the training metrics of one or more locations, each a round in training order (cloned models):
    /// a model folder, a <c>.tar.gz</c>, <c>s3://bucket/prefix</c>, or one metrics <c>.json</c> file.
    /// </summary>
    /// <exception cref="DeepRacerLogException">A location is missing, has no training metrics, or a file is bad or incomplete.</exception>
    public static async Task<TrainingMetrics> LoadAsync(IReadOnlyList<string> locations, S3Options? s3 = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(locations);
        if (locations.Count == 0)
        {
            throw new DeepRacerLogException("No metrics source given: give a model folder, a .tar.gz, s3://bucket/prefix or a TrainingMetrics .json file.");
        }

        var rounds = new List<IReadOnlyList<WorkerMetrics>>();
        foreach (var location in locations)
        {
            using var reader = MetricsSourceReader.Open(location, s3);
            var read = await reader.ReadAsync(tolerateIncomplete: false, cancellationToken).ConfigureAwait(false);
            rounds.AddRange(read.Rounds);
        }

        return Build(rounds);
    }

    /// <summary>Loads the training metrics of one location (see <see cref="LoadAsync(IReadOnlyList{string}, S3Options?, CancellationToken)"/>).</summary>
    public static Task<TrainingMetrics> LoadAsync(string location, S3Options? s3 = null, CancellationToken cancellationToken = default) =>
        LoadAsync([location], s3, cancellationToken);

    /// <summary>
    /// Builds the table from parsed files: <paramref name="rounds"/>[0] is round 1, and so on; within a round worker 0
    /// must come first, because worker files ≥ 1 do not reset <c>trial</c> and take worker 0's episodes per iteration.
    /// </summary>
    /// <exception cref="DeepRacerLogException">A round has worker files but no worker 0.</exception>
    public static TrainingMetrics Build(IReadOnlyList<IReadOnlyList<WorkerMetrics>> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        var rows = new List<MetricsRow>();
        var sources = new List<string>();
        var iterationDigits = 3;
        var episodesPerIteration = 0;
        for (var r = 0; r < rounds.Count; r++)
        {
            var round = r + 1;
            var offset = rows.Count == 0 ? 0 : 1 + rows.Max(x => x.MasterIteration);
            foreach (var (worker, file) in rounds[r].OrderBy(w => w.Worker))
            {
                sources.Add(file.Name);
                if (file.Episodes.Count == 0)
                {
                    continue;
                }

                if (worker == 0)
                {
                    episodesPerIteration = file.Episodes.Max(e => e.Trial);
                }
                else if (episodesPerIteration <= 0 || !rounds[r].Any(w => w.Worker == 0))
                {
                    throw new DeepRacerLogException(
                        $"{file.Name} is worker {worker}'s file, whose trials do not restart per iteration: load it together with worker 0's TrainingMetrics.json (give the model folder), which says how many episodes make an iteration.");
                }

                var e = Math.Max(episodesPerIteration, 1);
                var maxIteration = (file.Episodes.Max(x => x.Episode) - 1) / e;
                iterationDigits = Math.Max(iterationDigits, Digits(maxIteration));
                foreach (var x in file.Episodes)
                {
                    var iteration = Math.Max(x.Episode - 1, 0) / e;
                    rows.Add(new MetricsRow(
                        Pad(round, 2) + "-" + Pad(iteration, iterationDigits),
                        round,
                        iteration,
                        iteration + offset,
                        x.Episode,
                        round.ToString(CultureInfo.InvariantCulture) + "-" + Pad(x.Episode, 4),
                        worker,
                        x.Trial,
                        x.Phase,
                        x.Reward,
                        x.Completion,
                        x.ElapsedMilliseconds / 1000.0,
                        x.Status == "Lap complete" ? 1 : 0,
                        x.StartTime));
                }
            }
        }

        return new TrainingMetrics([.. rows], sources);
    }

    /// <summary>The first master iteration of a round (its offset), or null when the round has no rows.</summary>
    public int? FirstMasterIteration(int round)
    {
        int? first = null;
        foreach (var r in _rows)
        {
            if (r.Round == round && (first is null || r.MasterIteration - r.Iteration < first))
            {
                first = r.MasterIteration - r.Iteration;
            }
        }

        return first;
    }

    /// <summary>The whole table (or one phase) with the reference's columns.</summary>
    /// <param name="phase">One phase, or null for both.</param>
    /// <param name="filter">Rounds, workers, complete laps only; null for all rows.</param>
    public Table ToTable(MetricsPhase? phase = null, MetricsFilter? filter = null) =>
        RowsTable([.. _rows.Where(r => (phase is null || r.Phase == phase) && (filter is null || filter.Accepts(r)))]);

    /// <summary>
    /// The <paramref name="count"/> fastest complete laps of a phase, fastest first (ties keep load order).
    /// </summary>
    public IReadOnlyList<MetricsRow> BestLaps(int count, MetricsPhase phase, MetricsFilter? filter = null)
    {
        filter ??= MetricsFilter.All;
        return [.. _rows.Where(r => r.Phase == phase && r.Complete == 1 && filter.Accepts(r)).OrderBy(r => r.Time).Take(Math.Max(count, 0))];
    }

    /// <summary>
    /// Best laps of training and evaluation as one table: the <paramref name="count"/> fastest complete training laps,
    /// then the <paramref name="count"/> fastest complete evaluation laps.
    /// </summary>
    public Table BestLapsTable(int count, MetricsFilter? filter = null) =>
        RowsTable([.. BestLaps(count, MetricsPhase.Training, filter), .. BestLaps(count, MetricsPhase.Evaluation, filter)]);

    /// <summary>
    /// The fastest complete lap of each iteration (<c>r-i, master_iteration, train_best_time, train_best_episode,
    /// eval_best_time, eval_best_episode</c>); NaN / −1 where an iteration has no complete lap of that phase.
    /// </summary>
    public Table BestLapProgression(MetricsFilter? filter = null)
    {
        filter ??= MetricsFilter.All;
        var keys = new List<(string Ri, int Master)>();
        var best = new Dictionary<(string, int), (MetricsRow? Train, MetricsRow? Eval)>();
        foreach (var r in _rows.Where(x => filter.Accepts(x)).OrderBy(x => x.RoundIteration, StringComparer.Ordinal).ThenBy(x => x.MasterIteration))
        {
            var key = (r.RoundIteration, r.MasterIteration);
            if (!best.TryGetValue(key, out var b))
            {
                keys.Add(key);
                b = (null, null);
            }

            if (r.Complete == 1 && r.IsTraining && (b.Train is null || r.Time < b.Train.Value.Time))
            {
                b.Train = r;
            }
            else if (r.Complete == 1 && r.IsEvaluation && (b.Eval is null || r.Time < b.Eval.Value.Time))
            {
                b.Eval = r;
            }

            best[key] = b;
        }

        var bests = keys.Select(k => best[k]).ToArray();
        return new Table(
        [
            new Column<string>("r-i", [.. keys.Select(k => k.Ri)]),
            new Column<int>("master_iteration", [.. keys.Select(k => k.Master)]),
            new Column<double>("train_best_time", [.. bests.Select(b => b.Train?.Time ?? double.NaN)]),
            new Column<int>("train_best_episode", [.. bests.Select(b => b.Train?.Episode ?? -1)]),
            new Column<double>("eval_best_time", [.. bests.Select(b => b.Eval?.Time ?? double.NaN)]),
            new Column<int>("eval_best_episode", [.. bests.Select(b => b.Eval?.Episode ?? -1)]),
        ]);
    }

    /// <summary>
    /// Per-iteration summary (spec 4.5, indexed by <c>r-i</c> and <c>master_iteration</c>): training and evaluation
    /// aggregated with <paramref name="method"/>, workers pooled, iterations in order.
    /// </summary>
    public IReadOnlyList<SummaryRow> GetSummary(SummaryMethod method = SummaryMethod.Mean, MetricsFilter? filter = null)
    {
        filter ??= MetricsFilter.All;
        var groups = new SortedDictionary<(string Ri, int Master), (List<MetricsRow> Train, List<MetricsRow> Eval)>(
            Comparer<(string Ri, int Master)>.Create((a, b) => string.CompareOrdinal(a.Ri, b.Ri) is var c and not 0 ? c : a.Master.CompareTo(b.Master)));
        foreach (var r in _rows)
        {
            if (!filter.Accepts(r) || (!r.IsTraining && !r.IsEvaluation))
            {
                continue;
            }

            var key = (r.RoundIteration, r.MasterIteration);
            if (!groups.TryGetValue(key, out var g))
            {
                g = ([], []);
                groups[key] = g;
            }

            (r.IsTraining ? g.Train : g.Eval).Add(r);
        }

        var result = new List<SummaryRow>(groups.Count);
        foreach (var ((ri, master), (train, eval)) in groups)
        {
            result.Add(new SummaryRow(
                ri,
                master,
                Aggregate(train, r => r.Reward, method),
                Aggregate(train, r => r.Completion, method),
                Aggregate(train, r => r.Time, method),
                Aggregate(train, r => r.Complete, method),
                Count(train),
                Aggregate(eval, r => r.Reward, method),
                Aggregate(eval, r => r.Completion, method),
                Aggregate(eval, r => r.Time, method),
                Aggregate(eval, r => r.Complete, method),
                Count(eval)));
        }

        return result;
    }

    /// <summary>A summary as a table with the reference's column names (<see cref="SummaryColumnNames"/>).</summary>
    public static Table SummaryTable(IReadOnlyList<SummaryRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new Table(
        [
            new Column<string>("r-i", [.. rows.Select(r => r.RoundIteration)]),
            new Column<int>("master_iteration", [.. rows.Select(r => r.MasterIteration)]),
            new Column<double>("train_reward", [.. rows.Select(r => r.TrainReward)]),
            new Column<double>("train_completion", [.. rows.Select(r => r.TrainCompletion)]),
            new Column<double>("train_time", [.. rows.Select(r => r.TrainTime)]),
            new Column<double>("train_completed", [.. rows.Select(r => r.TrainCompleted)]),
            new Column<double>("train_episodes", [.. rows.Select(r => r.TrainEpisodes)]),
            new Column<double>("eval_reward", [.. rows.Select(r => r.EvalReward)]),
            new Column<double>("eval_completion", [.. rows.Select(r => r.EvalCompletion)]),
            new Column<double>("eval_time", [.. rows.Select(r => r.EvalTime)]),
            new Column<double>("eval_completed", [.. rows.Select(r => r.EvalCompleted)]),
            new Column<double>("eval_episodes", [.. rows.Select(r => r.EvalEpisodes)]),
        ]);
    }

    // Its own method, not an inline conditional: mutation testing cannot compile a mutant of an int/double conditional in
    // an argument list, and then leaves the whole of GetSummary unmutated.
    private static double Count(List<MetricsRow> rows) => rows.Count == 0 ? double.NaN : rows.Count;

    /// <summary>Aggregates one column of a group as pandas does: NaN for an empty group, median of an even count = mean of the middle two.</summary>
    internal static double Aggregate(List<MetricsRow> rows, Func<MetricsRow, double> value, SummaryMethod method)
    {
        if (rows.Count == 0)
        {
            return double.NaN;
        }

        switch (method)
        {
            case SummaryMethod.Min:
                return rows.Min(value);
            case SummaryMethod.Max:
                return rows.Max(value);
            case SummaryMethod.Median:
                var sorted = rows.Select(value).Order().ToArray();
                var mid = sorted.Length / 2;
                return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
            default:
                // Sum then divide, as pandas' mean does.
                var sum = 0.0;
                foreach (var r in rows)
                {
                    sum += value(r);
                }

                return sum / rows.Count;
        }
    }

    private static Table RowsTable(IReadOnlyList<MetricsRow> rows) => new(
    [
        new Column<string>("r-i", [.. rows.Select(r => r.RoundIteration)]),
        new Column<int>("round", [.. rows.Select(r => r.Round)]),
        new Column<int>("iteration", [.. rows.Select(r => r.Iteration)]),
        new Column<int>("master_iteration", [.. rows.Select(r => r.MasterIteration)]),
        new Column<int>("episode", [.. rows.Select(r => r.Episode)]),
        new Column<string>("r-e", [.. rows.Select(r => r.RoundEpisode)]),
        new Column<int>("worker", [.. rows.Select(r => r.Worker)]),
        new Column<int>("trial", [.. rows.Select(r => r.Trial)]),
        new Column<string>("phase", [.. rows.Select(r => r.Phase.Name())]),
        new Column<double>("reward", [.. rows.Select(r => r.Reward)]),
        new Column<int>("completion", [.. rows.Select(r => r.Completion)]),
        new Column<double>("time", [.. rows.Select(r => r.Time)]),
        new Column<int>("complete", [.. rows.Select(r => r.Complete)]),
        new Column<long>("start_time", [.. rows.Select(r => r.StartTime)]),
    ]);

    private static string Pad(int value, int width) => value.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');

    private static int Digits(int value) => value.ToString(CultureInfo.InvariantCulture).Length;
}
