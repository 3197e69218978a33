using Amazon.S3;
using Amazon.S3.Model;
using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Export;

/// <summary>Where an export goes: a local folder or <c>s3://bucket/prefix</c>. Every file appears complete or not at all.</summary>
public abstract class ExportTarget : IDisposable
{
    private protected ExportTarget(string location) => Location = location;

    /// <summary>The folder or <c>s3://bucket/prefix</c>, as given.</summary>
    public string Location { get; }

    /// <summary>A local folder (created when missing) or, for <c>s3://bucket/prefix</c>, that prefix.</summary>
    /// <exception cref="DeepRacerLogException">A bad S3 URI or options.</exception>
    public static ExportTarget Create(string location, S3Options? s3 = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)
            ? new S3ExportTarget(location, s3 ?? new S3Options())
            : new FolderExportTarget(location);
    }

    /// <summary>The text of a small file (a manifest), or null when it does not exist.</summary>
    internal abstract Task<string?> ReadTextAsync(string key, CancellationToken cancellationToken);

    /// <summary>Writes a file through <paramref name="write"/> (given a local temporary path) and publishes it whole.</summary>
    internal abstract Task WriteAsync(string key, Action<string> write, CancellationToken cancellationToken);

    /// <summary>Removes a file that is no longer part of the export.</summary>
    internal abstract Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>The partition values <c>model=NAME</c> below <c>table=TABLE/</c>.</summary>
    internal abstract Task<IReadOnlyList<string>> ListTableModelsAsync(string table, CancellationToken cancellationToken);

    /// <summary>The models with at least one exported table here, sorted.</summary>
    public async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        var models = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var table in ExportSchema.ModelTables)
        {
            models.UnionWith(await ListTableModelsAsync(table, cancellationToken).ConfigureAwait(false));
        }

        return [.. models];
    }

    /// <summary>Full name of a file for messages.</summary>
    internal abstract string Describe(string key);

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the client of a remote target.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The <c>model=NAME</c> values of a list of folder names.</summary>
    private protected static List<string> ModelValues(IEnumerable<string> names) =>
        [.. names.Where(n => n.StartsWith("model=", StringComparison.Ordinal)).Select(n => n["model=".Length..]).Order(StringComparer.Ordinal)];
}

/// <summary>A local export folder: temp file in the same folder, then a rename over the old file.</summary>
internal sealed class FolderExportTarget(string folder) : ExportTarget(folder)
{
    internal override async Task<string?> ReadTextAsync(string key, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Location, key);
        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }

    internal override Task WriteAsync(string key, Action<string> write, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Location, key);
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ParquetSharp.ParquetException)
        {
            TryDelete(temp);
            throw new DeepRacerLogException($"Cannot write {path}: {FirstLine(e.Message)}; choose a destination folder you can write to.", e);
        }

        return Task.CompletedTask;
    }

    internal override Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        TryDelete(Path.Combine(Location, key));
        return Task.CompletedTask;
    }

    internal override Task<IReadOnlyList<string>> ListTableModelsAsync(string table, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Location, "table=" + table);
        IReadOnlyList<string> models = Directory.Exists(folder)
            ? ModelValues(Directory.GetDirectories(folder).Select(Path.GetFileName)!)
            : [];
        return Task.FromResult(models);
    }

    internal override string Describe(string key) => Path.Combine(Location, key);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp file starts with a dot: Spark, Athena and DuckDB's *.parquet globs skip it.
        }
    }

    internal static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}

/// <summary>
/// An S3 prefix: each file is written locally, then uploaded with one PUT, which S3 makes visible only when the
/// whole object has arrived (readers never see a partial file).
/// </summary>
internal sealed class S3ExportTarget : ExportTarget
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly string _endpoint;

    public S3ExportTarget(string location, S3Options options) : base(location.TrimEnd('/'))
    {
        (_bucket, _prefix) = S3ModelSource.ParseUri(location);
        _client = S3ModelSource.CreateClient(options);
        _endpoint = options.EndpointUrl ?? "AWS S3";
    }

    internal override async Task<string?> ReadTextAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetObjectAsync(_bucket, _prefix + key, cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(response.ResponseStream);
            return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey" || e.StatusCode == System.Net.HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && S3ModelSource.Translate(e, Describe(key), _bucket, _endpoint) is { } translated)
        {
            throw translated;
        }
    }

    internal override async Task WriteAsync(string key, Action<string> write, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"drlog-export-{Guid.NewGuid():N}.tmp");
        try
        {
            write(temp);
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _bucket,
                Key = _prefix + key,
                FilePath = temp,
                // One plain PUT: s3rver and older MinIO cannot decode aws-chunked bodies.
                UseChunkEncoding = false,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && S3ModelSource.Translate(e, Describe(key), _bucket, _endpoint) is { } translated)
        {
            throw translated;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    internal override async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteObjectAsync(_bucket, _prefix + key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && S3ModelSource.Translate(e, Describe(key), _bucket, _endpoint) is { } translated)
        {
            throw translated;
        }
    }

    internal override async Task<IReadOnlyList<string>> ListTableModelsAsync(string table, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = $"{_prefix}table={table}/", Delimiter = "/" };
        try
        {
            while (true)
            {
                var response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                names.AddRange((response.CommonPrefixes ?? []).Select(p => p.TrimEnd('/')[request.Prefix.Length..]));
                if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
                {
                    break;
                }

                request.ContinuationToken = response.NextContinuationToken;
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && S3ModelSource.Translate(e, Describe($"table={table}/"), _bucket, _endpoint) is { } translated)
        {
            throw translated;
        }

        return ModelValues(names);
    }

    internal override string Describe(string key) => $"s3://{_bucket}/{_prefix}{key}";

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _client.Dispose();
        }
    }
}
