using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using DeepRacer.Analysis.Catalog;
using DeepRacer.Analysis.Metrics;
using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Export;

/// <summary>What <see cref="ParquetExporter"/> writes and how.</summary>
public sealed record ExportOptions
{
    /// <summary>Tables to write (<see cref="ExportSchema.Tables"/>).</summary>
    public IReadOnlyList<string> Tables { get; init; } = ExportSchema.ModelTables;

    /// <summary>A steps file is closed after the iteration that brings it to this many rows; earlier files never change as a model grows.</summary>
    public int StepRowsPerFile { get; init; } = 1_000_000;

    /// <summary>How to reach S3 for sources and destination.</summary>
    public S3Options S3 { get; init; } = new();
}

/// <summary>What one table of one model came to.</summary>
/// <param name="Model">The model (partition value); empty for the catalog, which spans models.</param>
/// <param name="Table">The table.</param>
/// <param name="Rows">Rows in the table.</param>
/// <param name="Written">Files written (new or changed).</param>
/// <param name="Unchanged">Files already up to date.</param>
/// <param name="Deleted">Files removed because their rows now live in other files.</param>
/// <param name="Skipped">Why the table was not exported (e.g. a model without metrics), or null.</param>
public sealed record ExportResult(string Model, string Table, long Rows, int Written, int Unchanged, int Deleted, string? Skipped = null);

/// <summary>
/// Writes drlog's tables as Parquet in Hive-style partitions: <c>table=steps/model=NAME/part-NNNNNN.parquet</c>
/// (one file per run of iterations, named by its first iteration), <c>table=episodes/model=NAME/part-0.parquet</c>,
/// <c>table=metrics/model=NAME/part-0.parquet</c>, and the log catalog as <c>table=catalog/part-0.parquet</c>.
/// </summary>
/// <remarks>
/// Re-runs are idempotent: each model folder has a <c>_drlog_manifest.json</c> (hidden from Spark, Athena and the
/// <c>*.parquet</c> globs by its underscore) with the SHA-256 of every file's content, and a file is written only
/// when its content changed. Steps files cover whole iterations and close once they reach
/// <see cref="ExportOptions.StepRowsPerFile"/> rows, so a growing model rewrites only its last file and adds new ones.
/// </remarks>
public static partial class ParquetExporter
{
    /// <summary>Name of the manifest in each <c>table=T/model=M/</c> folder.</summary>
    public const string ManifestName = "_drlog_manifest.json";

    /// <summary>Exports one source (folder, .tar.gz, S3 prefix, file) as <paramref name="model"/>.</summary>
    /// <exception cref="DeepRacerLogException">The source cannot be read or the destination cannot be written.</exception>
    public static async Task<IReadOnlyList<ExportResult>> ExportAsync(string source, string model, ExportTarget target, ExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        options ??= new ExportOptions();
        CheckModelName(model);
        var results = new List<ExportResult>();
        var wantSteps = options.Tables.Contains(ExportSchema.Steps);
        var wantEpisodes = options.Tables.Contains(ExportSchema.Episodes);
        if (wantSteps || wantEpisodes)
        {
            using var log = await DeepRacerLog.OpenAsync(source, options.S3, cancellationToken).ConfigureAwait(false);
            if (log.Layout.TrainingTraces.Count == 0 && log.Layout.TrainingLogs.Count == 0)
            {
                // An evaluation-only export has no training steps; said in the result, never silent.
                results.Add(new ExportResult(model, ExportSchema.Steps, 0, 0, 0, 0, "no training traces or logs"));
            }
            else
            {
                var steps = await log.LoadAsync(StepTableKind.Training, TraceKind.Auto, null, cancellationToken).ConfigureAwait(false);
                if (wantSteps)
                {
                    results.Add(await WriteTableAsync(target, ExportSchema.Steps, model, StepFiles(steps, options.StepRowsPerFile), cancellationToken).ConfigureAwait(false));
                }

                if (wantEpisodes)
                {
                    var episodes = ExportTables.Episodes(steps);
                    results.Add(await WriteTableAsync(target, ExportSchema.Episodes, model, [new PlannedFile("part-0.parquet", () => episodes, null, null)], cancellationToken).ConfigureAwait(false));
                }
            }
        }

        if (options.Tables.Contains(ExportSchema.Metrics))
        {
            TrainingMetrics? metrics = null;
            string? reason = null;
            try
            {
                metrics = await TrainingMetrics.LoadAsync(source, options.S3, cancellationToken).ConfigureAwait(false);
            }
            catch (DeepRacerLogException e)
            {
                // A log file or a DRfC upload has no metrics JSON: said in the result, never silent.
                reason = e.Message;
            }

            results.Add(metrics is null
                ? new ExportResult(model, ExportSchema.Metrics, 0, 0, 0, 0, reason)
                : await WriteTableAsync(target, ExportSchema.Metrics, model, [new PlannedFile("part-0.parquet", () => ExportTables.Metrics(metrics), null, null)], cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>
    /// Exports the log catalog's entries as <c>table=catalog/part-0.parquet</c> (no model partition: a row's model is
    /// its <c>model_name</c>), with the same manifest and atomic writes as the per-model tables.
    /// </summary>
    /// <exception cref="DeepRacerLogException">The catalog has no entries, or the destination cannot be written.</exception>
    public static Task<ExportResult> ExportCatalogAsync(LogCatalog catalog, ExportTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(target);
        var entries = catalog.List();
        if (entries.Count == 0)
        {
            throw new DeepRacerLogException($"The log catalog at {catalog.Root} has no entries: fetch or import logs into it first.");
        }

        return WriteTableAsync(target, ExportSchema.Catalog, null, [new PlannedFile("part-0.parquet", () => ExportTables.Catalog(entries), null, null)], cancellationToken);
    }

    /// <summary>The model name from a source: its last path segment without <c>.tar.gz</c>, with characters a partition value should not hold replaced by <c>-</c>.</summary>
    public static string ModelNameOf(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var name = source.TrimEnd('/', '\\');
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        foreach (var suffix in new[] { ".tar.gz", ".tgz", ".csv", ".log" })
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                name = name[..^suffix.Length];
                break;
            }
        }

        name = UnsafeChars().Replace(name, "-").Trim('-', '.');
        return name.Length == 0 ? "model" : name;
    }

    /// <exception cref="DeepRacerLogException">The name would not make a clean Hive partition value.</exception>
    internal static void CheckModelName(string model)
    {
        if (string.IsNullOrEmpty(model) || UnsafeChars().IsMatch(model) || model[0] is '.' or '_')
        {
            throw new DeepRacerLogException($"Model name '{model}' cannot be a partition value: use letters, digits, '.', '_' and '-', not starting with '.' or '_'.");
        }
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex UnsafeChars();

    /// <summary>One file to write: its name, its rows (made on demand) and the iterations it covers.</summary>
    private sealed record PlannedFile(string Name, Func<Table> Rows, int? FirstIteration, int? LastIteration);

    /// <summary>Steps files: whole iterations in order, a file closed once it holds <paramref name="rowsPerFile"/> rows.</summary>
    private static List<PlannedFile> StepFiles(StepTable steps, int rowsPerFile)
    {
        var perIteration = new SortedDictionary<int, int>();
        foreach (var it in steps.Iteration)
        {
            perIteration[it] = perIteration.GetValueOrDefault(it) + 1;
        }

        var files = new List<PlannedFile>();
        int? first = null;
        var last = 0;
        var rows = 0;
        foreach (var (iteration, count) in perIteration)
        {
            first ??= iteration;
            last = iteration;
            rows += count;
            if (rows >= rowsPerFile)
            {
                files.Add(StepFile(steps, first.Value, last));
                first = null;
                rows = 0;
            }
        }

        if (first is not null || files.Count == 0)
        {
            files.Add(StepFile(steps, first ?? 0, last));
        }

        return files;
    }

    private static PlannedFile StepFile(StepTable steps, int first, int last) =>
        new(string.Create(CultureInfo.InvariantCulture, $"part-{first:D6}.parquet"), () =>
        {
            var rows = new List<int>();
            var iterations = steps.Iteration;
            for (var i = 0; i < iterations.Length; i++)
            {
                if (iterations[i] >= first && iterations[i] <= last)
                {
                    rows.Add(i);
                }
            }

            return ExportTables.Steps(steps, [.. rows]);
        }, first, last);

    /// <summary>Writes the files of one table in <c>table=T/model=M/</c>, or in <c>table=T/</c> when <paramref name="model"/> is null.</summary>
    private static async Task<ExportResult> WriteTableAsync(ExportTarget target, string table, string? model, List<PlannedFile> files, CancellationToken cancellationToken)
    {
        var folder = model is null ? $"table={table}/" : $"table={table}/model={model}/";
        var old = Manifest.Parse(await target.ReadTextAsync(folder + ManifestName, cancellationToken).ConfigureAwait(false));
        var manifest = new Manifest { Table = table, Model = model ?? "" };
        int written = 0, unchanged = 0, deleted = 0;
        long total = 0;
        foreach (var file in files)
        {
            var rows = file.Rows();
            var hash = ContentHash(rows);
            total += rows.RowCount;
            manifest.Files.Add(new ManifestFile { File = file.Name, Rows = rows.RowCount, Sha256 = hash, FirstIteration = file.FirstIteration, LastIteration = file.LastIteration });
            if (old.Files.Any(f => f.File == file.Name && f.Sha256 == hash))
            {
                unchanged++;
                continue;
            }

            await target.WriteAsync(folder + file.Name, path => ParquetTableWriter.Write(rows, path), cancellationToken).ConfigureAwait(false);
            written++;
        }

        // The manifest goes last: a run cut short leaves an old manifest, and the next run rewrites what differs.
        await target.WriteAsync(folder + ManifestName, path => File.WriteAllText(path, manifest.ToJson()), cancellationToken).ConfigureAwait(false);
        foreach (var stale in old.Files.Where(f => files.All(p => p.Name != f.File)))
        {
            await target.DeleteAsync(folder + stale.File, cancellationToken).ConfigureAwait(false);
            deleted++;
        }

        return new ExportResult(model ?? "", table, total, written, unchanged, deleted);
    }

    /// <summary>SHA-256 over the column names, types and values: equal tables give equal files.</summary>
    internal static string ContentHash(Table table)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"drlog-export-v1;{table.RowCount};"));
        foreach (var column in table.Columns)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{column.Name}:{column.GetType().GetGenericArguments()[0].Name};"));
            switch (column)
            {
                case Column<int> c: hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.Values)); break;
                case Column<long> c: hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.Values)); break;
                case Column<short> c: hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.Values)); break;
                case Column<byte> c: hash.AppendData(c.Values); break;
                case Column<float> c: hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.Values)); break;
                case Column<double> c: hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.Values)); break;
                case Column<bool> c: hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(c.Values)); break;
                case Column<string> c:
                    foreach (var s in c.Values)
                    {
                        hash.AppendData(s is null ? [0xFF] : Encoding.UTF8.GetBytes(s + "\0"));
                    }

                    break;
                default:
                    throw new NotSupportedException($"Column {column.Name} of {column.GetType().Name} cannot be exported.");
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Source-generated (reflection-free) JSON for the manifest.</summary>
    [JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(Manifest))]
    private sealed partial class ManifestJson : JsonSerializerContext;

    private sealed class Manifest
    {

        public int Version { get; set; } = 1;

        public string Table { get; set; } = "";

        public string Model { get; set; } = "";

        public List<ManifestFile> Files { get; set; } = [];

        public static Manifest Parse(string? json)
        {
            if (json is null)
            {
                return new Manifest();
            }

            try
            {
                return JsonSerializer.Deserialize(json, ManifestJson.Default.Manifest) ?? new Manifest();
            }
            catch (JsonException)
            {
                // A damaged manifest only costs a full rewrite of this model's files.
                return new Manifest();
            }
        }

        public string ToJson() => JsonSerializer.Serialize(this, ManifestJson.Default.Manifest);
    }

    private sealed class ManifestFile
    {
        public string File { get; set; } = "";

        public long Rows { get; set; }

        public string Sha256 { get; set; } = "";

        public int? FirstIteration { get; set; }

        public int? LastIteration { get; set; }
    }
}
