using DeepRacer.Analysis.Rewards;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Web;

/// <summary>
/// The reward function the dashboard replays, shared by every source: one replay at a time, each with its own Python
/// workers (a <see cref="PythonRewardFunction"/> serves one replay; the first is the one started to check the file).
/// </summary>
internal sealed class RewardRunner : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly PythonRewardOptions _options;
    private readonly BackgroundWorker _worker;
    private readonly Func<Exception, string> _describe;
    private PythonRewardFunction? _started;

    private RewardRunner(PythonRewardFunction started, PythonRewardOptions options, BackgroundWorker worker, bool isReversed, Func<Exception, string> describe)
    {
        _started = started;
        _options = options;
        _worker = worker;
        _describe = describe;
        IsReversed = isReversed;
        Path = started.FunctionPath;
    }

    /// <summary>The function's file.</summary>
    public string Path { get; }

    /// <summary>The function's file name, for the page.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    public bool IsReversed { get; }

    /// <summary>
    /// Starts the function's workers once, so a missing interpreter or file, or a function that does not import, stops
    /// the dashboard's start with its message.
    /// </summary>
    /// <exception cref="RewardFunctionException">The function cannot run.</exception>
    public static async Task<RewardRunner> StartAsync(string path, PythonRewardOptions options, BackgroundWorker worker, bool isReversed, Func<Exception, string> describe, CancellationToken cancellationToken) =>
        new(await StartFunctionAsync(path, options, worker, cancellationToken).ConfigureAwait(false), options, worker, isReversed, describe);

    /// <summary>A failure of the replay in the caller's terms (the CLI adds its flag hints).</summary>
    public string Describe(Exception e) => _describe(e);

    public async Task<RewardReplayResult> ReplayAsync(StepTable steps, Tracks.Track track, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var function = Interlocked.Exchange(ref _started, null) ?? await StartFunctionAsync(Path, _options, _worker, cancellationToken).ConfigureAwait(false);
            return await RewardReplay.RunAsync(steps, track, function, IsReversed, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Started from the background thread: the Python processes inherit its low priority, requests keep the CPU first.</summary>
    private static Task<PythonRewardFunction> StartFunctionAsync(string path, PythonRewardOptions options, BackgroundWorker worker, CancellationToken cancellationToken) =>
        worker.Enqueue(() => PythonRewardFunction.StartAsync(path, options, cancellationToken)).Unwrap();

    public void Dispose()
    {
        Interlocked.Exchange(ref _started, null)?.Dispose();
        _gate.Dispose();
    }
}

/// <summary>
/// The new reward of one source's training steps, replayed as the source grows: each episode is replayed once, and a
/// new snapshot replays only the episodes it adds (read again from their own files), not the whole model.
/// </summary>
internal sealed class RewardFollower(LiveModel model, RewardRunner runner)
{
    private readonly Dictionary<(int Iteration, int Worker, int Episode), double[]> _episodes = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public RewardRunner Runner => runner;

    /// <summary>Steps sent to the function so far, over every snapshot (each step once, unless its file changed).</summary>
    public long ReplayedSteps { get; private set; }

    /// <summary>The first step the function failed on (with failures skipped), in the caller's terms.</summary>
    public string? FirstError { get; private set; }

    /// <summary>The new reward of every row of the snapshot's training steps (0 where the simulator does not score, NaN where the function failed).</summary>
    public async Task<double[]> ReplayAsync(ModelSnapshot s, CancellationToken cancellationToken)
    {
        var steps = s.Training?.Steps ?? throw new DeepRacerLogException($"{model.Name} has no training steps to replay.");
        var track = s.Track?.Track ?? throw new DeepRacerLogException(s.TrackError ?? $"The track of {model.Name} is not known, and the replay needs it.");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var episodes = Episodes(steps);
            var missing = episodes.Where(e => !_episodes.TryGetValue(e.Key, out var known) || known.Length != e.End - e.Start).ToList();
            if (missing.Count > 0)
            {
                // Only the files of the new episodes are read and replayed; the first time that is every file. Read on
                // their own they must hold exactly the episodes missing (a file rewritten meanwhile does not): else all.
                var delta = missing.Count == episodes.Count
                    ? steps
                    : await model.LoadTrainingFilesAsync(missing.Select(e => (e.Key.Iteration, e.Key.Worker)).ToHashSet(), cancellationToken).ConfigureAwait(false) ?? steps;
                if (delta != steps)
                {
                    var read = Episodes(delta).ToDictionary(e => e.Key, e => e.End - e.Start);
                    if (!missing.All(e => read.TryGetValue(e.Key, out var length) && length == e.End - e.Start))
                    {
                        delta = steps;
                    }
                }

                var result = await runner.ReplayAsync(delta, track, cancellationToken).ConfigureAwait(false);
                var perRow = result.NewRewardPerRow();
                foreach (var e in Episodes(delta))
                {
                    _episodes[e.Key] = perRow[e.Start..e.End];
                }

                ReplayedSteps += result.Params.Count;
                FirstError ??= result.FirstError is { } first ? runner.Describe(first) : null;
            }

            var values = new double[steps.RowCount];
            foreach (var e in episodes)
            {
                _episodes[e.Key].CopyTo(values, e.Start);
            }

            return values;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Each episode's rows (the rows of an episode are next to each other, as loaded).</summary>
    private static List<((int Iteration, int Worker, int Episode) Key, int Start, int End)> Episodes(StepTable steps)
    {
        var list = new List<((int, int, int), int, int)>();
        var iteration = steps.Iteration;
        var worker = steps.Worker;
        var episode = steps.Episode;
        var start = 0;
        for (var r = 1; r <= steps.RowCount; r++)
        {
            if (r == steps.RowCount || iteration[r] != iteration[start] || worker[r] != worker[start] || episode[r] != episode[start])
            {
                list.Add(((iteration[start], worker[start], episode[start]), start, r));
                start = r;
            }
        }

        return list;
    }
}
