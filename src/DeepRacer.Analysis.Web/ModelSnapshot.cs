using System.Collections.Concurrent;
using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Metrics;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Web;

/// <summary>Steps of one kind with their episodes and the index from an episode to its steps.</summary>
internal sealed class StepSet
{
    private readonly Lazy<EpisodeRows> _rows;

    private StepSet(StepTable steps)
    {
        Steps = steps;
        Episodes = EpisodeTable.Aggregate(steps);
        _rows = new Lazy<EpisodeRows>(() => new EpisodeRows(steps));
    }

    /// <summary>The steps.</summary>
    public StepTable Steps { get; }

    /// <summary>One row per episode.</summary>
    public EpisodeTable Episodes { get; }

    /// <summary>Step rows of each episode; built on first use (a pass over every step the Overview does not need).</summary>
    public EpisodeRows Rows => _rows.Value;

    public static StepSet? Of(StepTable? steps) => steps is null || steps.RowCount == 0 ? null : new StepSet(steps);
}

/// <summary>
/// One model as loaded at one moment: immutable, so a request reads a consistent state while the next poll builds
/// the following one. Computed answers are cached per snapshot and vanish with it.
/// </summary>
internal sealed record ModelSnapshot
{
    public int Version { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public bool Loading { get; init; } = true;

    public ModelInfo? Info { get; init; }

    public TrackResolution? Track { get; init; }

    public string? TrackError { get; init; }

    public StepSet? Training { get; init; }

    public StepSet? Evaluation { get; init; }

    public StepSet? Leaderboard { get; init; }

    public TrainingMetrics? Metrics { get; init; }

    public string? Warning { get; init; }

    /// <summary>Answers computed from this snapshot, by request; each new snapshot starts with an empty one.</summary>
    public ConcurrentDictionary<string, Lazy<object>> Cache { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>The next version of this snapshot with what changed, and a fresh cache.</summary>
    public ModelSnapshot Next(ModelSnapshot changed) => changed with
    {
        Version = Version + 1,
        UpdatedAt = DateTimeOffset.UtcNow,
        Cache = new(StringComparer.Ordinal),
    };

    /// <summary>The latest training iteration loaded: from the steps, else from the metrics.</summary>
    public int? LatestIteration
    {
        get
        {
            if (Training is { } t)
            {
                var max = int.MinValue;
                foreach (var i in t.Episodes.Get<int>("iteration"))
                {
                    max = Math.Max(max, i);
                }

                return max;
            }

            return Metrics is { } m && m.Training.Any() ? m.LatestMasterIteration : null;
        }
    }

    public StepSet? Of(StepTableKind kind) => kind switch
    {
        StepTableKind.Training => Training,
        StepTableKind.Evaluation => Evaluation,
        _ => Leaderboard,
    };

    /// <summary>A cached value, computed once per snapshot (a caller that comes while it is computed waits for it).</summary>
    public T Cached<T>(string key, Func<T> compute) where T : class => (T)Cache.GetOrAdd(key, _ => new Lazy<object>(compute)).Value;

    /// <summary>
    /// A value that takes seconds on a big model (reads every step): the first call queues it on the background
    /// thread and every call returns at once, with null until it is there (or when it was dropped as stale).
    /// </summary>
    public string? Background(string key, BackgroundWorker worker, Func<string> compute)
    {
        var lazy = Cache.GetOrAdd(key, _ => new Lazy<object>(() => worker.Enqueue(compute)));
        var task = (Task<string>)lazy.Value;
        return task.IsCompletedSuccessfully ? task.Result : task.IsFaulted ? throw task.Exception.InnerException ?? task.Exception : null;
    }
}
