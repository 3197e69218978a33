using System.Text.RegularExpressions;
using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Metrics;

/// <summary>What one read of a location gave.</summary>
/// <param name="Rounds">The location's rounds (normally one), each with its worker files, worker 0 first.</param>
/// <param name="FilesRead">Files downloaded and parsed this time (new or changed).</param>
/// <param name="Incomplete">Files skipped because they are empty or stop mid-JSON; their previous version, if any, is used.</param>
internal sealed record MetricsRead(IReadOnlyList<IReadOnlyList<WorkerMetrics>> Rounds, IReadOnlyList<string> FilesRead, IReadOnlyList<IncompleteMetricsException> Incomplete);

/// <summary>
/// Finds and reads the training metrics files of one location, remembering each file's size, ETag and mtime so
/// that the next read downloads only what changed.
/// </summary>
internal sealed partial class MetricsSourceReader : IDisposable
{
    private readonly ModelSource _source;
    private readonly bool _oneFile;
    private readonly string? _onlyKey;
    private readonly Dictionary<string, (SourceFile Signature, TrainingMetricsFile Parsed)> _cache = new(StringComparer.Ordinal);

    private MetricsSourceReader(ModelSource source, bool oneFile, string description, string? onlyKey = null)
    {
        _source = source;
        _oneFile = oneFile;
        _onlyKey = onlyKey;
        Description = description;
    }

    public string Description { get; }

    /// <summary>Opens a folder, <c>.tar.gz</c>, <c>s3://</c> prefix or one metrics <c>.json</c> file.</summary>
    public static MetricsSourceReader Open(string location, S3Options? s3)
    {
        ArgumentNullException.ThrowIfNull(location);
        var kind = ModelSource.Classify(location);
        if (location.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            if (kind == LocationKind.S3)
            {
                // One object: list its folder and keep only that key.
                var slash = location.LastIndexOf('/');
                var folder = ModelSource.Open(location[..slash], s3);
                return new MetricsSourceReader(folder, false, location[..slash], location[(slash + 1)..]);
            }

            if (kind != LocationKind.File)
            {
                throw new DeepRacerLogException($"{location} does not exist: give a training metrics .json file, a model folder, a .tar.gz or s3://bucket/prefix.");
            }

            var file = ModelSource.OpenFile(location);
            return new MetricsSourceReader(file, true, file.Description);
        }

        var source = ModelSource.Open(location, s3);
        return new MetricsSourceReader(source, false, source.Description);
    }

    public async Task<MetricsRead> ReadAsync(bool tolerateIncomplete, CancellationToken cancellationToken)
    {
        var listing = await ListAsync(cancellationToken).ConfigureAwait(false);
        var found = Classify(listing);
        if (found.Count == 0)
        {
            throw NoTrainingMetrics(listing);
        }

        var read = new List<string>();
        var incomplete = new List<IncompleteMetricsException>();
        var byRound = new SortedDictionary<string, List<WorkerMetrics>>(StringComparer.Ordinal);
        foreach (var (file, roundKey, worker) in found)
        {
            var name = _oneFile ? Description : Description.TrimEnd('/') + "/" + file.Path;
            TrainingMetricsFile? parsed;
            if (_cache.TryGetValue(file.Path, out var cached) && Same(cached.Signature, file))
            {
                parsed = cached.Parsed;
            }
            else
            {
                try
                {
                    var bytes = await _source.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
                    read.Add(name);
                    parsed = TrainingMetricsFile.Parse(bytes, name);
                    _cache[file.Path] = (file, parsed);
                }
                catch (IncompleteMetricsException e) when (tolerateIncomplete)
                {
                    // Not cached: the next read tries again. The last complete version, if any, stands in meanwhile.
                    incomplete.Add(e);
                    parsed = _cache.TryGetValue(file.Path, out var previous) ? previous.Parsed : null;
                }
            }

            if (parsed is not null)
            {
                if (!byRound.TryGetValue(roundKey, out var list))
                {
                    list = [];
                    byRound[roundKey] = list;
                }

                list.Add(new WorkerMetrics(worker, parsed));
            }
        }

        // While worker 0's file is caught mid-write (and was never read whole), its round cannot be numbered:
        // worker files ≥ 1 take their episodes per iteration from it. Leave the round out until the next poll.
        var rounds = byRound.Values.Where(l => !tolerateIncomplete || l.Any(w => w.Worker == 0));
        return new MetricsRead([.. rounds.Select(l => (IReadOnlyList<WorkerMetrics>)[.. l.OrderBy(w => w.Worker)])], read, incomplete);
    }

    private async Task<IReadOnlyList<SourceFile>> ListAsync(CancellationToken cancellationToken)
    {
        var files = await _source.ListAsync(cancellationToken).ConfigureAwait(false);
        return _oneFile && files.Count == 0
            ? throw new DeepRacerLogException($"{Description} does not exist (any more): give an existing training metrics .json file.")
            : files;
    }

    private static bool Same(SourceFile a, SourceFile b) =>
        a.Length == b.Length && a.ETag == b.ETag && a.LastModified == b.LastModified;

    /// <summary>
    /// The training metrics files with their round key and worker: DRfC <c>metrics/TrainingMetrics[_N].json</c> (one
    /// round, worker N), console/DROA <c>metrics/training/*.json</c> (one round each, in name = time order).
    /// </summary>
    private List<(SourceFile File, string RoundKey, int Worker)> Classify(IReadOnlyList<SourceFile> files)
    {
        var result = new List<(SourceFile, string, int)>();
        foreach (var f in files)
        {
            Match m;
            if (_onlyKey is not null)
            {
                if (f.Path == _onlyKey)
                {
                    m = DrfcFileName().Match(f.Path);
                    result.Add((f, "", m.Success ? Worker(m.Groups[1].Value, f.Path) : 0));
                }
            }
            else if (_oneFile)
            {
                m = DrfcFileName().Match(f.Path);
                result.Add((f, "", m.Success && m.Groups[1].Success ? Worker(m.Groups[1].Value, f.Path) : 0));
            }
            else if ((m = DrfcMetrics().Match(f.Path)).Success)
            {
                result.Add((f, m.Groups[1].Value, m.Groups[2].Success ? Worker(m.Groups[2].Value, f.Path) : 0));
            }
            else if (ConsoleMetrics().IsMatch(f.Path))
            {
                result.Add((f, f.Path, 0));
            }
        }

        return result;
    }

    /// <summary>Most workers a DRfC run has files for (DRfC starts up to a dozen).</summary>
    internal const int MaxWorker = 999;

    // The number comes from a file name: range-check it instead of letting int.Parse overflow.
    private static int Worker(string digits, string file) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var worker) && worker <= MaxWorker
            ? worker
            : throw new DeepRacerLogException($"{file}: worker number {digits} is out of range (0 to {MaxWorker}); rename or remove that file.");

    private NoTrainingMetricsException NoTrainingMetrics(IReadOnlyList<SourceFile> files)
    {
        if (_onlyKey is not null)
        {
            return new NoTrainingMetricsException($"{Description}/{_onlyKey} does not exist: check the key (DRfC writes metrics/TrainingMetrics.json under the model prefix).");
        }

        if (files.Count == 0)
        {
            return new NoTrainingMetricsException(
                $"{Description} has no files: check the path or S3 prefix (a DRfC model prefix holds metrics/TrainingMetrics.json).");
        }

        var evaluationOnly = files.Any(f => EvaluationMetrics().IsMatch(f.Path));
        return new NoTrainingMetricsException(evaluationOnly
            ? $"{Description} has evaluation metrics only: training metrics are metrics/TrainingMetrics*.json (DRfC) or metrics/training/*.json (console); give the model that was trained."
            : $"{Description} has no training metrics: expected metrics/TrainingMetrics.json (+ TrainingMetrics_N.json per extra DRfC worker) or metrics/training/*.json (console export).");
    }

    public void Dispose() => _source.Dispose();

    [GeneratedRegex(@"^(.*?/)?(?:metrics/)?TrainingMetrics(?:_(\d+))?\.json$")]
    private static partial Regex DrfcMetrics();

    [GeneratedRegex(@"TrainingMetrics_(\d+)\.json$")]
    private static partial Regex DrfcFileName();

    [GeneratedRegex(@"(?:^|/)metrics/training/[^/]+\.json$")]
    private static partial Regex ConsoleMetrics();

    [GeneratedRegex(@"(?:^|/)(?:metrics/evaluation/[^/]+|metrics/EvaluationMetrics[^/]*|EvaluationMetrics[^/]*)\.json$")]
    private static partial Regex EvaluationMetrics();
}

/// <summary>A location without training metrics (yet): fatal for a one-off load, a warning for a watch.</summary>
internal sealed class NoTrainingMetricsException(string message) : DeepRacerLogException(message);
