using DeepRacer.Analysis.Metrics;
using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Web;

/// <summary>
/// One served source, followed while it grows: each poll reads only the new trace and metrics files and, when
/// anything changed, publishes a new <see cref="ModelSnapshot"/>.
/// </summary>
internal sealed class LiveModel : IDisposable
{
    private readonly DeepRacerLog _log;
    private readonly string? _trackName;
    private readonly TraceFollower _training;
    private readonly TraceFollower _evaluation;
    private readonly TraceFollower _leaderboard;
    private readonly MetricsWatcher _metrics;
    private readonly SemaphoreSlim _polling = new(1, 1);
    private volatile ModelSnapshot _snapshot = new();
    private bool _hasMetrics = true;

    private readonly BackgroundWorker _worker;
    private RewardFollower? _reward;

    private LiveModel(int index, string location, DeepRacerLog log, S3Options? s3, string? trackName, BackgroundWorker worker)
    {
        _worker = worker;
        Index = index;
        Location = location;
        Name = NameOf(location);
        _log = log;
        _trackName = trackName;
        _training = new TraceFollower(log.Source, StepTableKind.Training);
        _evaluation = new TraceFollower(log.Source, StepTableKind.Evaluation);
        _leaderboard = new TraceFollower(log.Source, StepTableKind.Leaderboard);
        _metrics = new MetricsWatcher([location], s3);
    }

    /// <summary>Position in the served list (the <c>source</c> of the API).</summary>
    public int Index { get; }

    /// <summary>What the user gave.</summary>
    public string Location { get; }

    /// <summary>A short name for tabs and legends: the model folder or prefix.</summary>
    public string Name { get; }

    /// <summary>The reward replay of this source, when the dashboard has a reward function.</summary>
    public RewardFollower? Reward => _reward;

    /// <summary>Replays this reward function over the training steps from now on.</summary>
    public void FollowReward(RewardRunner runner) => _reward = new RewardFollower(this, runner);

    /// <summary>The latest state.</summary>
    public ModelSnapshot Snapshot => _snapshot;

    /// <summary>Opens the source and detects its layout (fast: a listing); the steps load on the first poll.</summary>
    /// <exception cref="DeepRacerLogException">The source is missing, unreachable or not a model.</exception>
    public static async Task<LiveModel> OpenAsync(int index, string location, S3Options? s3, string? trackName, BackgroundWorker worker, CancellationToken cancellationToken)
    {
        var log = await DeepRacerLog.OpenAsync(location, s3, cancellationToken).ConfigureAwait(false);
        return new LiveModel(index, location, log, s3, trackName, worker);
    }

    /// <summary>
    /// An answer over every step of <paramref name="snapshot"/>, computed once on the background thread; null until it
    /// is there. A computation whose snapshot was replaced before its turn is dropped: pages ask the new one.
    /// </summary>
    public string? Background(ModelSnapshot snapshot, string key, Func<string> compute) =>
        snapshot.Background(key, _worker, () => ReferenceEquals(snapshot, _snapshot) ? compute() : throw new OperationCanceledException());

    /// <summary>Reads what is new; true when a new snapshot was published.</summary>
    public async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        await _polling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await PollCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _polling.Release();
        }
    }

    private async Task<bool> PollCoreAsync(CancellationToken cancellationToken)
    {
        var old = _snapshot;
        var next = old with { Loading = false, Warning = null };
        var changed = old.Loading || old.Warning is not null;
        try
        {
            if (old.Info is null)
            {
                next = next with { Info = await _log.LoadInfoAsync(cancellationToken).ConfigureAwait(false) };
            }

            var training = await _training.PollAsync(cancellationToken).ConfigureAwait(false);
            if (training.Changed)
            {
                next = next with { Training = StepSet.Of(training.Steps) };
                changed = true;
            }

            var evaluation = await _evaluation.PollAsync(cancellationToken).ConfigureAwait(false);
            if (evaluation.Changed)
            {
                next = next with { Evaluation = StepSet.Of(evaluation.Steps) };
                changed = true;
            }

            var leaderboard = await _leaderboard.PollAsync(cancellationToken).ConfigureAwait(false);
            if (leaderboard.Changed)
            {
                next = next with { Leaderboard = StepSet.Of(leaderboard.Steps) };
                changed = true;
            }

            if (_hasMetrics)
            {
                var metrics = await PollMetricsAsync(cancellationToken).ConfigureAwait(false);
                if (metrics is not null)
                {
                    next = next with { Metrics = metrics };
                    changed = true;
                }
            }

            if (next.Track is null && next.TrackError is null && (next.Training ?? next.Evaluation ?? next.Leaderboard) is { } any)
            {
                next = await ResolveTrackAsync(next, any.Steps, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A hiccup of a running training's storage must not end the dashboard: keep the last good state, say so,
            // and try again at the next poll. Some S3-compatible stores answer in ways the AWS SDK rejects (an ETag
            // that is not an MD5): those come as other exceptions than ours.
            next = next with { Warning = e is DeepRacerLogException or IOException ? e.Message : $"Reading {Location} failed ({e.GetType().Name}: {e.Message}); trying again." };
            changed = true;
        }

        if (!changed)
        {
            return false;
        }

        _snapshot = old.Next(next);
        return true;
    }

    private async Task<TrainingMetrics?> PollMetricsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var poll = await _metrics.PollAsync(cancellationToken).ConfigureAwait(false);
            return poll.FilesRead.Count > 0 ? poll.Metrics : null;
        }
        catch (DeepRacerLogException) when (_snapshot.Version == 0)
        {
            // A model without metrics JSON (an evaluation export, a log file): the rest of the dashboard works without.
            _hasMetrics = false;
            return null;
        }
    }

    private async Task<ModelSnapshot> ResolveTrackAsync(ModelSnapshot next, StepTable steps, CancellationToken cancellationToken)
    {
        try
        {
            return next with { Track = await _log.ResolveTrackAsync(_trackName, steps, cancellationToken).ConfigureAwait(false) };
        }
        catch (DeepRacerLogException e)
        {
            return next with { TrackError = e.Message };
        }
    }

    /// <summary>
    /// The training steps of these (iteration, worker) simtrace files alone, read again from the source; null when the
    /// training is not in simtrace files.
    /// </summary>
    public async Task<StepTable?> LoadTrainingFilesAsync(IReadOnlySet<(int Iteration, int Worker)> which, CancellationToken cancellationToken)
    {
        if (_log.Source is SingleFileSource)
        {
            return null;
        }

        var files = await _log.Source.ListAsync(cancellationToken).ConfigureAwait(false);
        var traces = ModelLayout.Detect(files).TrainingTraces;
        if (traces.Count == 0)
        {
            return null;
        }

        // Everything but the other training traces, so the layout (workers, folders) is detected as for the whole.
        var others = traces.Where(t => !which.Contains((t.Iteration, t.Worker))).Select(t => t.File.Path).ToHashSet(StringComparer.Ordinal);
        using var log = await DeepRacerLog.OpenAsync(new SubsetSource(_log.Source, [.. files.Where(f => !others.Contains(f.Path))]), cancellationToken).ConfigureAwait(false);
        return await log.LoadTrainingTraceAsync(null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Some files of a source; disposing it leaves the source open.</summary>
    private sealed class SubsetSource(ModelSource inner, IReadOnlyList<SourceFile> files) : ModelSource
    {
        public override string Description => inner.Description;

        public override Task<IReadOnlyList<SourceFile>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult(files);

        public override Task<Stream> OpenReadAsync(SourceFile file, CancellationToken cancellationToken = default) => inner.OpenReadAsync(file, cancellationToken);
    }

    private static string NameOf(string location)
    {
        var trimmed = location.TrimEnd('/', '\\');
        var slash = trimmed.LastIndexOfAny(['/', '\\']);
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _log.Dispose();
        _polling.Dispose();
    }
}
