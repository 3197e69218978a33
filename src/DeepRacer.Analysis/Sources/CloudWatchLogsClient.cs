using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace DeepRacer.Analysis.Sources;

/// <summary>A log stream as DescribeLogStreams lists it.</summary>
/// <param name="Name">Stream name.</param>
/// <param name="FirstEventTimestamp">Time of its first event.</param>
/// <param name="LastEventTimestamp">Time of its last event.</param>
public sealed record LogStreamInfo(string Name, DateTimeOffset? FirstEventTimestamp, DateTimeOffset? LastEventTimestamp);

/// <summary>One log event.</summary>
/// <param name="Timestamp">Event time.</param>
/// <param name="Message">The log line.</param>
public readonly record struct LogEvent(DateTimeOffset Timestamp, string Message);

/// <summary>A page of events and the token for the next one.</summary>
/// <param name="Events">The events.</param>
/// <param name="NextToken">Token for the next page; null or equal to the request's token at the end.</param>
public sealed record LogEventPage(IReadOnlyList<LogEvent> Events, string? NextToken);

/// <summary>
/// A thin CloudWatch Logs client (JSON 1.1 protocol) over AWSSDK.Core: its credential chain, region resolution and SigV4 signer.
/// AWSSDK.CloudWatchLogs is not in the package registry this project uses, and three calls do not need it.
/// Throttling, 5xx answers and dropped connections are retried with exponential back-off and jitter.
/// </summary>
public sealed partial class CloudWatchLogsClient : IDisposable
{
    private const string Service = "logs";
    private readonly HttpClient _http;
    private readonly AWSCredentials _credentials;
    private readonly LogsClientConfig _config;
    private readonly CloudWatchOptions _options;
    private readonly Uri _endpoint;

    private CloudWatchLogsClient(HttpClient http, AWSCredentials credentials, LogsClientConfig config, Uri endpoint, CloudWatchOptions options)
    {
        _http = http;
        _credentials = credentials;
        _config = config;
        _endpoint = endpoint;
        _options = options;
    }

    /// <summary>The region requests are signed for.</summary>
    public string Region => _config.AuthenticationRegion;

    /// <summary>Requests retried so far (throttling, 5xx, dropped connections).</summary>
    public int Retries { get; private set; }

    /// <summary>Resolves credentials and region and creates the client.</summary>
    /// <exception cref="DeepRacerLogException">No region, no credentials, an unknown profile or a bad endpoint URL.</exception>
    public static async Task<CloudWatchLogsClient> CreateAsync(CloudWatchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        CredentialProfile? profile = null;
        if (options.Profile is { } name && !new CredentialProfileStoreChain().TryGetProfile(name, out profile))
        {
            throw new DeepRacerLogException(InputProblem.AwsProfileNotFound, $"AWS profile '{name}' not found in ~/.aws/credentials or ~/.aws/config: add it or drop {InputSetting.Profile}.") { Subject = name };
        }

        var region = options.Region ?? profile?.Region?.SystemName ?? FallbackRegion();
        if (region is null)
        {
            if (options.EndpointUrl is null)
            {
                throw new DeepRacerLogException(InputProblem.AwsRegionMissing, $"No AWS region: pass {InputSetting.Region} (e.g. us-east-1, where the DeepRacer console runs) or set AWS_REGION.");
            }

            region = "us-east-1";
        }

        Uri endpoint;
        if (options.EndpointUrl is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || (parsed.Scheme != "http" && parsed.Scheme != "https"))
            {
                throw new DeepRacerLogException(InputProblem.EndpointInvalid, $"{InputSetting.EndpointUrl} {url} is not an http(s) URL; use e.g. http://127.0.0.1:4566.") { Subject = url };
            }

            endpoint = parsed;
        }
        else
        {
            endpoint = new Uri($"https://logs.{region}.amazonaws.com/");
        }

        var config = new LogsClientConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = region };
        AWSCredentials credentials;
        try
        {
            credentials = options.Credentials
                ?? (profile is not null && new CredentialProfileStoreChain().TryGetAWSCredentials(profile.Name, out var fromProfile) ? fromProfile : null)
                ?? await new DefaultAWSCredentialsIdentityResolver().ResolveIdentityAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonClientException e)
        {
            throw new DeepRacerLogException(InputProblem.AwsCredentials, $"No AWS credentials found ({e.Message.Split('\n')[0]}): run 'aws configure' or 'aws sso login', or pass {InputSetting.Profile}.", e);
        }

        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = options.Timeout };
        return new CloudWatchLogsClient(http, credentials, config, endpoint, options);
    }

    private static string? FallbackRegion()
    {
        try
        {
            return FallbackRegionFactory.GetRegionEndpoint()?.SystemName;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Lists the streams of a group, newest first (by last event time), every page.</summary>
    /// <param name="group">Log group name.</param>
    /// <param name="streamPrefix">Only streams whose name starts with this (then ordered by name, as the API requires).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The streams; none when the group does not exist.</returns>
    public async Task<IReadOnlyList<LogStreamInfo>> DescribeLogStreamsAsync(string group, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        await TryDescribeLogStreamsAsync(group, streamPrefix, cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>Lists the streams of a group as <see cref="DescribeLogStreamsAsync"/> does; null when the group does not exist.</summary>
    /// <param name="group">Log group name.</param>
    /// <param name="streamPrefix">Only streams whose name starts with this.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public async Task<IReadOnlyList<LogStreamInfo>?> TryDescribeLogStreamsAsync(string group, string? streamPrefix = null, CancellationToken cancellationToken = default)
    {
        var streams = new List<LogStreamInfo>();
        string? token = null;
        do
        {
            var body = new JsonObject { ["logGroupName"] = group, ["limit"] = 50 };
            if (streamPrefix is null)
            {
                body["orderBy"] = "LastEventTime";
                body["descending"] = true;
            }
            else
            {
                body["logStreamNamePrefix"] = streamPrefix;
            }

            if (token is not null)
            {
                body["nextToken"] = token;
            }

            using var doc = await CallAsync("DescribeLogStreams", body, cancellationToken, notFoundIsEmpty: true).ConfigureAwait(false);
            if (doc is null)
            {
                return null;
            }

            foreach (var s in doc.RootElement.GetProperty("logStreams").EnumerateArray())
            {
                streams.Add(new LogStreamInfo(s.GetProperty("logStreamName").GetString()!, Time(s, "firstEventTimestamp"), Time(s, "lastEventTimestamp")));
            }

            token = doc.RootElement.TryGetProperty("nextToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (token is not null);

        return streamPrefix is null ? streams : streams.OrderByDescending(s => s.LastEventTimestamp ?? DateTimeOffset.MinValue).ToList();
    }

    /// <summary>Reads one page of a stream's events, oldest first.</summary>
    public async Task<LogEventPage> GetLogEventsAsync(string group, string stream, DateTimeOffset? start, DateTimeOffset? end, string? token, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["startFromHead"] = true };
        AddWindow(body, start, end, token);

        using var doc = await CallAsync("GetLogEvents", body, cancellationToken).ConfigureAwait(false);
        var events = new List<LogEvent>();
        foreach (var ev in doc!.RootElement.GetProperty("events").EnumerateArray())
        {
            events.Add(new LogEvent(DateTimeOffset.FromUnixTimeMilliseconds(ev.GetProperty("timestamp").GetInt64()), ev.GetProperty("message").GetString() ?? ""));
        }

        var next = doc.RootElement.TryGetProperty("nextForwardToken", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new LogEventPage(events, next);
    }

    /// <summary>Reads every event of a stream, page by page, oldest first.</summary>
    public async IAsyncEnumerable<IReadOnlyList<LogEvent>> ReadStreamAsync(string group, string stream, DateTimeOffset? start = null, DateTimeOffset? end = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        while (true)
        {
            var page = await GetLogEventsAsync(group, stream, start, end, token, cancellationToken).ConfigureAwait(false);
            if (page.Events.Count > 0)
            {
                yield return page.Events;
            }

            // CloudWatch signals the end of a stream by handing back the token it was given.
            if (page.NextToken is null || page.NextToken == token)
            {
                yield break;
            }

            token = page.NextToken;
        }
    }

    /// <summary>Reads the events of every stream whose name starts with <paramref name="streamPrefix"/> within a time window, page by page (FilterLogEvents).</summary>
    /// <param name="group">Log group name.</param>
    /// <param name="streamPrefix">Stream name prefix, e.g. a job id; null for all streams.</param>
    /// <param name="start">Earliest event time, inclusive.</param>
    /// <param name="end">Latest event time, inclusive.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public async IAsyncEnumerable<IReadOnlyList<(string Stream, LogEvent Event)>> FilterLogEventsAsync(string group, string? streamPrefix, DateTimeOffset? start, DateTimeOffset? end,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var body = new JsonObject { ["logGroupName"] = group };
            if (streamPrefix is not null)
            {
                body["logStreamNamePrefix"] = streamPrefix;
            }

            AddWindow(body, start, end, token);

            using var doc = await CallAsync("FilterLogEvents", body, cancellationToken).ConfigureAwait(false);
            var events = new List<(string, LogEvent)>();
            foreach (var ev in doc!.RootElement.GetProperty("events").EnumerateArray())
            {
                events.Add((ev.GetProperty("logStreamName").GetString() ?? "",
                    new LogEvent(DateTimeOffset.FromUnixTimeMilliseconds(ev.GetProperty("timestamp").GetInt64()), ev.GetProperty("message").GetString() ?? "")));
            }

            if (events.Count > 0)
            {
                yield return events;
            }

            token = doc.RootElement.TryGetProperty("nextToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (token is not null);
    }

    private async Task<JsonDocument?> CallAsync(string operation, JsonObject body, CancellationToken cancellationToken, bool notFoundIsEmpty = false)
    {
        var payload = Encoding.UTF8.GetBytes(body.ToJsonString());
        for (var attempt = 0; ; attempt++)
        {
            string failure;
            try
            {
                using var request = await SignAsync(operation, payload, cancellationToken).ConfigureAwait(false);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return JsonDocument.Parse(text);
                }

                var (type, message) = ErrorOf(text);
                var retryable = (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests
                    || type is "ThrottlingException" or "ServiceUnavailableException" or "LimitExceededException" or "RequestLimitExceeded";
                if (type == "ResourceNotFoundException" && notFoundIsEmpty)
                {
                    return null;
                }

                if (!retryable)
                {
                    throw new DeepRacerLogException(
                        $"CloudWatch Logs {operation} failed at {_endpoint}: {(int)response.StatusCode} {type}: {message.TrimEnd('.')}. Check the credentials, the region and the endpoint.");
                }

                failure = $"{(int)response.StatusCode} {type}";
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                failure = e.Message;
            }

            if (attempt >= _options.MaxRetries)
            {
                throw new DeepRacerLogException($"CloudWatch Logs {operation} at {_endpoint} still failing after {attempt + 1} attempts ({failure}); run the fetch again later: the logs not yet complete are downloaded again.");
            }

            Retries++;
            await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Exponential back-off with "equal jitter": half the capped delay plus a random half, so parallel clients spread out.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var capped = Math.Min(_options.MaxDelay.TotalMilliseconds, _options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    /// <summary>
    /// The error code and message of an error body: JSON (<c>__type</c>/<c>code</c>, <c>message</c>) as CloudWatch sends, or XML
    /// (<c>&lt;Code&gt;</c>, <c>&lt;Message&gt;</c>) as STS, IAM and S3-style gateways send; anything else gives its first line, shortened.
    /// </summary>
    internal static (string Type, string Message) ErrorOf(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var type = First(root, "__type", "code", "Code") ?? "";
            var message = First(root, "message", "Message") ?? "";
            return (type[(type.LastIndexOf('#') + 1)..], Shorten(message));
        }
        catch (JsonException)
        {
            var code = XmlCode().Match(text) is { Success: true } c ? c.Groups[1].Value : null;
            var message = XmlMessage().Match(text) is { Success: true } m ? System.Net.WebUtility.HtmlDecode(m.Groups[1].Value) : null;
            if (code is not null || message is not null)
            {
                return (code ?? "Error", Shorten(message ?? ""));
            }

            return ("Error", Shorten(text.Split('\n', 2)[0]));
        }

        static string? First(JsonElement root, params string[] names)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var name in names)
            {
                if (root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String)
                {
                    return v.GetString();
                }
            }

            return null;
        }
    }

    /// <summary>A message cut at a word boundary to at most 160 characters, so an error stays one readable line.</summary>
    internal static string Shorten(string message)
    {
        const int Max = 160;
        var text = string.Join(' ', message.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        if (text.Length <= Max)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', Max - 1);
        return string.Concat(text.AsSpan(0, cut > Max / 2 ? cut : Max - 1), "…");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"<Code>\s*([^<\s]+)\s*</Code>")]
    private static partial System.Text.RegularExpressions.Regex XmlCode();

    [System.Text.RegularExpressions.GeneratedRegex(@"<Message>([^<]*)</Message>")]
    private static partial System.Text.RegularExpressions.Regex XmlMessage();

    private async Task<HttpRequestMessage> SignAsync(string operation, byte[] payload, CancellationToken cancellationToken)
    {
        ImmutableCredentials credentials;
        try
        {
            credentials = await _credentials.GetCredentialsAsync().ConfigureAwait(false);
        }
        catch (AmazonClientException e)
        {
            // Profiles resolve lazily: an expired SSO session or a broken role shows up only here.
            throw new DeepRacerLogException(
                InputProblem.AwsCredentials,
                $"Could not get AWS credentials ({e.Message.Split('\n')[0].TrimEnd('.')}): for an SSO profile run 'aws sso login --profile NAME', else check {InputSetting.Profile} and the AWS environment variables.",
                e);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var request = new DefaultRequest(new EmptyRequest(), "CloudWatchLogs")
        {
            HttpMethod = "POST",
            Endpoint = _endpoint,
            ResourcePath = "/",
            Content = payload,
            AuthenticationRegion = _config.AuthenticationRegion,
            OverrideSigningServiceName = Service,
        };
        request.Headers["X-Amz-Target"] = "Logs_20140328." + operation;
        request.Headers["Content-Type"] = "application/x-amz-json-1.1";
        if (credentials.UseToken)
        {
            request.Headers["X-Amz-Security-Token"] = credentials.Token;
        }

        var signing = new AWS4Signer().SignRequest(request, _config, null, credentials.AccessKey, credentials.SecretKey);
        var message = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(payload) };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || name.Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            message.Headers.TryAddWithoutValidation(name, value);
        }

        message.Headers.TryAddWithoutValidation("Authorization", signing.ForAuthorizationHeader);
        return message;
    }

    private static DateTimeOffset? Time(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeMilliseconds(v.GetInt64()) : null;

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private sealed class EmptyRequest : AmazonWebServiceRequest;

    /// <summary>The bits of client configuration the SDK's signer reads.</summary>
    private sealed class LogsClientConfig : ClientConfig
    {
        public LogsClientConfig() : base(new NoDefaults())
        {
        }

        public override string RegionEndpointServiceName => Service;

        public override string ServiceVersion => "2014-03-28";

        public override string UserAgent => "drlog";

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) => new(ServiceURL);
    }

    private sealed class NoDefaults : IDefaultConfigurationProvider
    {
        public IDefaultConfiguration GetDefaultConfiguration(Amazon.RegionEndpoint clientRegion, DefaultConfigurationMode? requestedConfigurationMode = null) => new DefaultConfiguration();
    }

    /// <summary>The time window and page token shared by the event calls.</summary>
    private static void AddWindow(JsonObject body, DateTimeOffset? start, DateTimeOffset? end, string? token)
    {
        if (start is { } s)
        {
            body["startTime"] = s.ToUnixTimeMilliseconds();
        }

        if (end is { } e)
        {
            body["endTime"] = e.ToUnixTimeMilliseconds();
        }

        if (token is not null)
        {
            body["nextToken"] = token;
        }
    }
}
