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
        if (!location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) && File.Exists(location)
            && !location.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) && !location.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase))
        {
            if (location.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            await using var stream = new FileStream(location, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            return PolicyTraining.Parse(stream);
        }

        if (!location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(location) && !File.Exists(location))
        {
            throw new DeepRacerLogException($"{location} does not exist: give a trainer (sagemaker) log file or a model folder that holds one.");
        }

        using var source = ModelSource.Open(location, s3);
        var layout = ModelLayout.Detect(await source.ListAsync(cancellationToken).ConfigureAwait(false));
        if (layout.TrainerLogs.Count == 0)
        {
            return null;
        }

        await using var log = await source.OpenReadAsync(layout.TrainerLogs[0], cancellationToken).ConfigureAwait(false);
        return PolicyTraining.Parse(log);
    }
}
