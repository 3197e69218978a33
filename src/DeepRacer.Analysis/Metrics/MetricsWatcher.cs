using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Metrics;

/// <summary>What one poll of a <see cref="MetricsWatcher"/> found.</summary>
/// <param name="Metrics">The table after this poll (the previous one when nothing could be read).</param>
/// <param name="FilesRead">Files downloaded this poll because they are new or their size, ETag or mtime changed.</param>
/// <param name="IncompleteFiles">Files caught mid-write (empty or truncated JSON): skipped now, retried next poll.</param>
/// <param name="NewIteration">True when the latest master iteration grew (always true for the first poll with data).</param>
/// <param name="Warning">A one-line problem of this poll (e.g. the server was unreachable) that did not stop the watch, or null.</param>
public sealed record MetricsPoll(TrainingMetrics Metrics, IReadOnlyList<string> FilesRead, IReadOnlyList<string> IncompleteFiles, bool NewIteration, string? Warning)
{
    /// <summary>True when any file was read or skipped, or there is a warning.</summary>
    public bool HasNews => FilesRead.Count > 0 || IncompleteFiles.Count > 0 || Warning is not null;

    /// <summary>The problem behind <see cref="Warning"/>, so a front end can word it in its own terms; null without a warning.</summary>
    public Exception? WarningCause { get; init; }
}

/// <summary>
/// Polls the training metrics of a running training (folder, <c>.tar.gz</c>, S3/MinIO, or a <c>.json</c> file),
/// downloading only files whose size, ETag or mtime changed; a file caught mid-write is retried, never fatal.
/// </summary>
public sealed class MetricsWatcher : IDisposable
{
    private readonly IReadOnlyList<string> _locations;
    private readonly S3Options? _s3;
    private readonly TimeProvider _time;
    private readonly List<MetricsSourceReader> _readers = [];
    private readonly Dictionary<int, IReadOnlyList<IReadOnlyList<WorkerMetrics>>> _lastRounds = [];
    private TrainingMetrics _metrics = TrainingMetrics.Empty;
    private bool _opened;

    /// <summary>Creates a watcher over one or more locations, each a round in training order.</summary>
    /// <param name="locations">Model folders, <c>.tar.gz</c> files, <c>s3://</c> prefixes or metrics <c>.json</c> files.</param>
    /// <param name="s3">How to reach S3/MinIO.</param>
    /// <param name="timeProvider">The clock for the poll interval (tests pass a fake one); the system clock by default.</param>
    public MetricsWatcher(IReadOnlyList<string> locations, S3Options? s3 = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(locations);
        if (locations.Count == 0)
        {
            throw new DeepRacerLogException("No metrics source given: give a model folder, a .tar.gz, s3://bucket/prefix or a TrainingMetrics .json file.");
        }

        _locations = locations;
        _s3 = s3;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The table after the latest poll.</summary>
    public TrainingMetrics Metrics => _metrics;

    /// <summary>
    /// Reads what changed since the last poll and rebuilds the table. Problems with a location (unreachable, missing)
    /// throw on the first poll and become a <see cref="MetricsPoll.Warning"/> afterwards.
    /// </summary>
    /// <exception cref="DeepRacerLogException">The first poll cannot open or list a location.</exception>
    public async Task<MetricsPoll> PollAsync(CancellationToken cancellationToken = default)
    {
        var first = !_opened;
        if (first)
        {
            foreach (var location in _locations)
            {
                _readers.Add(MetricsSourceReader.Open(location, _s3));
            }

            _opened = true;
        }

        var read = new List<string>();
        var incomplete = new List<string>();
        Exception? warning = null;
        for (var i = 0; i < _readers.Count; i++)
        {
            try
            {
                var result = await _readers[i].ReadAsync(tolerateIncomplete: true, cancellationToken).ConfigureAwait(false);
                read.AddRange(result.FilesRead);
                incomplete.AddRange(result.Incomplete.Select(e => e.File));
                _lastRounds[i] = result.Rounds;
            }
            catch (Exception e) when ((e is DeepRacerLogException d && (!first || NoMetricsYet(d))) || (!first && e is IOException))
            {
                // A running training may not have written metrics yet, and a network hiccup must not end a long watch:
                // keep the last good data of this location and say what happened.
                warning ??= e;
            }
        }

        var previousLatest = _metrics.LatestMasterIteration;
        if (read.Count > 0 || first)
        {
            try
            {
                _metrics = TrainingMetrics.Build([.. Enumerable.Range(0, _readers.Count).SelectMany(i => _lastRounds.TryGetValue(i, out var r) ? r : [])]);
            }
            catch (DeepRacerLogException e) when (!first)
            {
                // Files that do not fit together yet (a worker file ahead of an empty worker 0) wait for the next poll.
                warning ??= e;
            }
        }

        return new MetricsPoll(_metrics, read, incomplete, _metrics.LatestMasterIteration > previousLatest, warning?.Message) { WarningCause = warning };
    }

    /// <summary>
    /// Polls every <paramref name="interval"/> until cancelled, yielding the first poll and then every poll that read,
    /// skipped or warned about something. Cancellation ends the sequence without an exception.
    /// </summary>
    public async IAsyncEnumerable<MetricsPoll> WatchAsync(TimeSpan interval, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The poll interval must be positive.");
        }

        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            MetricsPoll poll;
            try
            {
                poll = await PollAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            if (first || poll.HasNews)
            {
                yield return poll;
            }

            first = false;
            try
            {
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <summary>True for "no training metrics here yet", which a watch of a starting training outlives.</summary>
    private static bool NoMetricsYet(DeepRacerLogException e) => e is NoTrainingMetricsException;

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var reader in _readers)
        {
            reader.Dispose();
        }

        _readers.Clear();
    }
}
