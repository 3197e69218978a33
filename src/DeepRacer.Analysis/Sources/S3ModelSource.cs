using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using Amazon.S3.Model;

namespace DeepRacer.Analysis.Sources;

/// <summary>A model prefix in an S3 bucket or on an S3-compatible server (MinIO, as DRfC runs it).</summary>
/// <remarks>
/// A custom endpoint uses path-style addressing. Checksums are computed and validated only when an
/// operation requires them: s3rver and older MinIO do not speak the SDK v4 default checksum headers.
/// </remarks>
public sealed class S3ModelSource : ModelSource
{
    private readonly IAmazonS3 _client;
    private readonly string _endpoint;
    private readonly TimeSpan _timeout;

    private S3ModelSource(IAmazonS3 client, string bucket, string prefix, string endpoint, TimeSpan timeout)
    {
        _client = client;
        Bucket = bucket;
        Prefix = prefix;
        _endpoint = endpoint;
        _timeout = timeout;
    }

    /// <summary>The bucket.</summary>
    public string Bucket { get; }

    /// <summary>The model prefix, ending with <c>/</c>.</summary>
    public string Prefix { get; }

    /// <inheritdoc/>
    public override string Description => $"s3://{Bucket}/{Prefix.TrimEnd('/')}";

    /// <inheritdoc/>
    public override int MaxParallelReads => 8;

    /// <summary>Creates a source for <c>s3://bucket/prefix</c>.</summary>
    /// <exception cref="DeepRacerLogException">The URI has no bucket or prefix, or the profile does not exist.</exception>
    public static S3ModelSource Create(string uri, S3Options options)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(options);
        var (bucket, prefix) = ParseUri(uri);
        var client = CreateClient(options);
        return new S3ModelSource(client, bucket, prefix, options.EndpointUrl ?? "AWS S3", options.Timeout);
    }

    /// <summary>A client for these options (also used to write exports): path-style for custom endpoints, checksums only when required.</summary>
    /// <exception cref="DeepRacerLogException">The endpoint is not an http(s) URL, or the profile does not exist.</exception>
    internal static AmazonS3Client CreateClient(S3Options options)
    {
        var config = new AmazonS3Config
        {
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = options.MaxRetries,
            Timeout = options.Timeout,
        };
        if (options.EndpointUrl is { } endpoint)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var parsed) || (parsed.Scheme != "http" && parsed.Scheme != "https"))
            {
                throw new DeepRacerLogException(InputProblem.EndpointInvalid, $"{InputSetting.EndpointUrl} {endpoint} is not an http(s) URL; use e.g. http://localhost:9000.") { Subject = endpoint };
            }

            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is { } region)
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }

        var credentials = options.Credentials;
        if (credentials is null && options.Profile is { } profile)
        {
            if (!new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out credentials))
            {
                throw new DeepRacerLogException(InputProblem.AwsProfileNotFound, $"AWS profile '{profile}' not found in ~/.aws/credentials or ~/.aws/config: add it (DRfC uses a 'minio' profile) or drop {InputSetting.Profile}.") { Subject = profile };
            }
        }

        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    /// <summary>Splits <c>s3://bucket/prefix</c>; the prefix gets a trailing <c>/</c>.</summary>
    public static (string Bucket, string Prefix) ParseUri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var rest = uri["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        if (bucket.Length == 0 || prefix.Length == 0)
        {
            throw new DeepRacerLogException($"{uri} needs a bucket and a model prefix: s3://bucket/model-prefix.");
        }

        return (bucket, prefix + "/");
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<SourceFile>> ListAsync(CancellationToken cancellationToken = default)
    {
        var files = new List<SourceFile>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = Prefix };
        try
        {
            while (true)
            {
                var response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                foreach (var o in response.S3Objects ?? [])
                {
                    if (o.Key.Length > Prefix.Length && !o.Key.EndsWith('/'))
                    {
                        files.Add(new SourceFile(o.Key[Prefix.Length..], o.Size ?? 0) { LastModified = o.LastModified, ETag = o.ETag });
                    }
                }

                if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
                {
                    break;
                }

                request.ContinuationToken = response.NextContinuationToken;
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(e, Description) is { } translated)
        {
            throw translated;
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }

    /// <inheritdoc/>
    public override async Task<Stream> OpenReadAsync(SourceFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var key = Prefix + file.Path;
        try
        {
            using var response = await _client.GetObjectAsync(Bucket, key, cancellationToken).ConfigureAwait(false);
            var memory = new MemoryStream(file.Length is > 0 and < int.MaxValue ? (int)file.Length : 0);
            var expected = response.ContentLength;
            await CopyBodyAsync(response.ResponseStream, memory, expected, key, cancellationToken).ConfigureAwait(false);
            // Compare with what this GET announced: a running training rewrites objects between listing and reading.
            if (expected > 0 && memory.Length != expected)
            {
                throw new DeepRacerLogException($"s3://{Bucket}/{key}: download stopped at {memory.Length} of {expected} bytes; run again.");
            }

            memory.Position = 0;
            return memory;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(e, $"s3://{Bucket}/{key}") is { } translated)
        {
            throw translated;
        }
    }

    // The SDK's timeout ends with the response headers: a body that stops coming would wait forever, so each read gets
    // the timeout of its own; a connection that breaks mid-body is this object's transfer failing, not the server unreachable.
    private async Task CopyBodyAsync(Stream body, MemoryStream memory, long expected, string key, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                idle.CancelAfter(_timeout);
                var n = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                memory.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DeepRacerLogException($"s3://{Bucket}/{key}: download stalled at {memory.Length} of {expected} bytes (nothing for {_timeout.TotalSeconds:0.#} s); run again.", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or SocketException)
        {
            throw new DeepRacerLogException($"s3://{Bucket}/{key}: download broke off at {memory.Length} of {expected} bytes ({FirstLine(Innermost(e).Message).TrimEnd('.')}); run again.", e);
        }
    }

    /// <summary>Turns SDK and network failures into one-line messages that say what to do.</summary>
    private DeepRacerLogException? Translate(Exception e, string what) => Translate(e, what, Bucket, _endpoint);

    /// <summary>Turns SDK and network failures on <paramref name="bucket"/> at <paramref name="endpoint"/> into one-line messages.</summary>
    internal static DeepRacerLogException? Translate(Exception e, string what, string bucket, string endpoint)
    {
        switch (e)
        {
            case DeepRacerLogException:
                return null;
            case TimeoutException or OperationCanceledException:
                // The caller's own cancellation never gets here (see the catch filters): this is the SDK's request timeout.
                return new DeepRacerLogException(InputProblem.EndpointUnreachable, $"{endpoint} did not answer in time ({FirstLine(Innermost(e).Message)}): check {InputSetting.EndpointUrl} and that the server is running.", e) { Subject = endpoint };
            case AmazonS3Exception s3:
                return s3.ErrorCode switch
                {
                    "NoSuchBucket" => new DeepRacerLogException($"Bucket '{bucket}' does not exist at {endpoint}: check the bucket name (DRfC's default is 'bucket').", e),
                    "InvalidAccessKeyId" => new DeepRacerLogException(InputProblem.AwsCredentials, $"{endpoint} does not know the access key: check the credentials ({InputSetting.Profile}, AWS_ACCESS_KEY_ID or ~/.aws/credentials).", e),
                    "SignatureDoesNotMatch" => new DeepRacerLogException(InputProblem.AwsCredentials, $"{endpoint} rejected the secret key (signature mismatch): check the credentials ({InputSetting.Profile} or ~/.aws/credentials).", e),
                    "AccessDenied" or "AllAccessDisabled" => new DeepRacerLogException(InputProblem.AwsCredentials, $"Access denied to {what}: the credentials may not read it; check {InputSetting.Profile} and the bucket policy.", e),
                    "NoSuchKey" => new DeepRacerLogException($"{what} was not found (it may have been deleted while listing); run again.", e),
                    _ when s3.StatusCode == HttpStatusCode.Forbidden => new DeepRacerLogException(InputProblem.AwsCredentials, $"Access denied to {what} (403): check the credentials ({InputSetting.Profile}) and the bucket policy.", e),
                    _ when s3.StatusCode == HttpStatusCode.NotFound => new DeepRacerLogException($"{what} was not found (404): check the bucket and prefix.", e),
                    _ => new DeepRacerLogException($"S3 error reading {what}: {s3.ErrorCode ?? s3.StatusCode.ToString()} ({FirstLine(s3.Message)}).", e),
                };
            case AmazonClientException when e.Message.Contains("credential", StringComparison.OrdinalIgnoreCase):
                return new DeepRacerLogException(InputProblem.AwsCredentials, $"No AWS credentials found: pass {InputSetting.Profile}, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add ~/.aws/credentials.", e);
            case AmazonServiceException or AmazonClientException or HttpRequestException or SocketException or IOException or TaskCanceledException:
                if (Unreachable(e))
                {
                    return new DeepRacerLogException(InputProblem.EndpointUnreachable, $"Cannot reach {endpoint} ({Innermost(e).Message.TrimEnd('.')}): check {InputSetting.EndpointUrl} and that the server is running.", e) { Subject = endpoint };
                }

                return new DeepRacerLogException($"S3 request for {what} failed: {FirstLine(Innermost(e).Message)}", e);
            default:
                return null;
        }
    }

    private static bool Unreachable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is HttpRequestException or SocketException or TaskCanceledException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private static string FirstLine(string message)
    {
        var i = message.IndexOfAny(['\r', '\n']);
        return i < 0 ? message : message[..i];
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _client.Dispose();
        }
    }
}
