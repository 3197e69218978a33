using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Metrics;

/// <summary>Finds and parses a model's trainer (sagemaker) log for the policy view.</summary>
public static class TrainerLog
{
    /// <summary>
    /// Parses the trainer log of a location: a log file itself, or the first trainer log of a model folder, <c>.tar.gz</c>
    /// or S3 prefix (console <c>logs/training/*-sagemaker.log</c>, DROA <c>logs/training/*-training.log</c>).
    /// </summary>
    /// <returns>The parsed log, or null when the location has none (DRfC keeps it in the container: pass it as a file).</returns>
    /// <exception cref="DeepRacerLogException">The location does not exist or cannot be read.</exception>
    public static async Task<PolicyTraining?> LoadAsync(string location, S3Options? s3 = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        var kind = ModelSource.Classify(location);
        if (kind == LocationKind.File && location.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (kind == LocationKind.Missing)
        {
            throw new DeepRacerLogException($"{location} does not exist: give a trainer (sagemaker) log file or a model folder that holds one.");
        }

        // A file is the log itself (any name); a folder, archive or prefix holds it where its layout says.
        using var source = kind == LocationKind.File ? ModelSource.OpenFile(location) : ModelSource.Open(location, s3);
        var files = await source.ListAsync(cancellationToken).ConfigureAwait(false);
        var log = kind == LocationKind.File ? files.FirstOrDefault() : ModelLayout.Detect(files).TrainerLogs.FirstOrDefault();
        if (log is null)
        {
            return null;
        }

        await using var stream = await source.OpenReadAsync(log, cancellationToken).ConfigureAwait(false);
        return PolicyTraining.Parse(stream);
    }

    /// <summary>
    /// The policy side of a run of rounds: the trainer log of each location is round 1, 2, … (as the metrics number them),
    /// its iterations placed at the round's first master iteration. A location without a trainer log has no round here.
    /// </summary>
    /// <param name="locations">The rounds' locations in training order, as given to <see cref="TrainingMetrics.LoadAsync(IReadOnlyList{string}, S3Options?, CancellationToken)"/>.</param>
    /// <param name="metrics">The metrics of the same run.</param>
    /// <param name="s3">S3 options.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<IReadOnlyList<PolicyRound>> LoadRoundsAsync(IReadOnlyList<string> locations, TrainingMetrics metrics, S3Options? s3 = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(locations);
        ArgumentNullException.ThrowIfNull(metrics);
        var result = new List<PolicyRound>();
        for (var i = 0; i < locations.Count; i++)
        {
            if (await LoadAsync(locations[i], s3, cancellationToken).ConfigureAwait(false) is { Epochs.Count: > 0 } p)
            {
                result.Add(new PolicyRound(i + 1, p, metrics.FirstMasterIteration(i + 1) ?? 0));
            }
        }

        return result;
    }

    /// <summary>
    /// The policy side from one trainer log file saved apart from the model (DRfC keeps it in the container): it belongs to
    /// the last round of <paramref name="metrics"/>, the training it follows.
    /// </summary>
    /// <returns>One round, or none when the log has no policy updates.</returns>
    public static async Task<IReadOnlyList<PolicyRound>> LoadLastRoundAsync(string trainerLogFile, TrainingMetrics metrics, S3Options? s3 = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var round = metrics.Rounds.Count == 0 ? 1 : metrics.Rounds[^1];
        return await LoadAsync(trainerLogFile, s3, cancellationToken).ConfigureAwait(false) is { Epochs.Count: > 0 } p
            ? [new PolicyRound(round, p, metrics.FirstMasterIteration(round) ?? 0)]
            : [];
    }
}
