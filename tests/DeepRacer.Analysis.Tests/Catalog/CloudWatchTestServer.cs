using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Tests.Catalog;

/// <summary>
/// A CloudWatch Logs server on 127.0.0.1 for tests: the JSON 1.1 protocol for DescribeLogStreams, GetLogEvents and
/// FilterLogEvents, with pagination. Every request's SigV4 signature is checked with this file's own HMAC code (not the
/// SDK's), against <see cref="AccessKey"/>/<see cref="SecretKey"/>. It can throttle and answer 5xx; its broken transfers
/// (a body cut mid-stream, a slow body, a stream that grows between listing and reading) are in CloudWatchTestServer.Faults.cs.
/// </summary>
public sealed partial class CloudWatchTestServer : IDisposable
{
    public const string AccessKey = "AKIDDRLOGTEST0000001";
    public const string SecretKey = "drlog/test/secret/key/0123456789abcdefghij";
    public const string Region = "us-east-1";

    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, List<Stream>> _groups = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _throttleNext;
    private int _fail5xxNext;

    public CloudWatchTestServer()
    {
        Url = ListenOnFreePort(_listener);
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>Starts <paramref name="listener"/> on a free loopback port and returns its URL.</summary>
    public static string ListenOnFreePort(HttpListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var url = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(url);
        listener.Start();
        return url;
    }

    public string Url { get; }

    /// <summary>Events per GetLogEvents/FilterLogEvents page.</summary>
    public int PageSize { get; set; } = 300;

    /// <summary>Streams per DescribeLogStreams page (small, so the client must paginate).</summary>
    public int StreamPageSize { get; set; } = 2;

    public int Requests => _requests;

    public int SignatureFailures => _signatureFailures;

    public int Throttled => _throttled;

    public int ServerErrors => _serverErrors;

    public ConcurrentQueue<string> Operations { get; } = new();

    private int _requests;
    private int _signatureFailures;
    private int _throttled;
    private int _serverErrors;

    /// <summary>Answers the next <paramref name="n"/> requests with 400 ThrottlingException.</summary>
    public void ThrottleNext(int n) => Interlocked.Exchange(ref _throttleNext, n);

    /// <summary>Answers the next <paramref name="n"/> requests with 503 ServiceUnavailableException.</summary>
    public void FailNext(int n) => Interlocked.Exchange(ref _fail5xxNext, n);

    /// <summary>Adds a stream whose events are the lines of a text, one event per line, 100 ms apart from <paramref name="start"/>.</summary>
    public void AddStream(string group, string stream, string text, DateTimeOffset start)
    {
        var lines = text.Split('\n');
        if (lines.Length > 0 && lines[^1].Length == 0)
        {
            lines = lines[..^1];
        }

        var events = lines.Select((l, i) => (start.ToUnixTimeMilliseconds() + (i * 100L), l)).ToList();
        lock (_groups)
        {
            if (!_groups.TryGetValue(group, out var streams))
            {
                _groups[group] = streams = [];
            }

            streams.Add(new Stream(stream, events));
        }
    }

    private sealed record Stream(string Name, List<(long Timestamp, string Message)> Events)
    {
        public long First => Events.Count > 0 ? Events[0].Timestamp : 0;

        public long Last => Events.Count > 0 ? Events[^1].Timestamp : 0;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            Interlocked.Increment(ref _requests);
            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer).ConfigureAwait(false);
            var body = buffer.ToArray();
            if (CheckSignature(context.Request, body) is { } problem)
            {
                Interlocked.Increment(ref _signatureFailures);
                await ErrorAsync(context, 403, "InvalidSignatureException", problem).ConfigureAwait(false);
                return;
            }

            if (Interlocked.Decrement(ref _throttleNext) >= 0)
            {
                Interlocked.Increment(ref _throttled);
                await ErrorAsync(context, 400, "ThrottlingException", "Rate exceeded").ConfigureAwait(false);
                return;
            }

            if (Interlocked.Decrement(ref _fail5xxNext) >= 0)
            {
                Interlocked.Increment(ref _serverErrors);
                await ErrorAsync(context, 503, "ServiceUnavailableException", "The service is unavailable").ConfigureAwait(false);
                return;
            }

            var target = context.Request.Headers["X-Amz-Target"] ?? "";
            var request = JsonNode.Parse(body)!.AsObject();
            var operation = target.StartsWith("Logs_20140328.", StringComparison.Ordinal) ? target["Logs_20140328.".Length..] : target;
            Operations.Enqueue(operation);
            var group = (string?)request["logGroupName"] ?? "";
            List<Stream>? streams;
            lock (_groups)
            {
                _groups.TryGetValue(group, out streams);
            }

            if (streams is null)
            {
                await ErrorAsync(context, 400, "ResourceNotFoundException", "The specified log group does not exist.").ConfigureAwait(false);
                return;
            }

            switch (operation)
            {
                case "DescribeLogStreams":
                    await DescribeAsync(context, request, streams).ConfigureAwait(false);
                    break;
                case "GetLogEvents":
                    await GetEventsAsync(context, request, streams).ConfigureAwait(false);
                    break;
                case "FilterLogEvents":
                    await FilterAsync(context, request, streams).ConfigureAwait(false);
                    break;
                default:
                    await ErrorAsync(context, 400, "UnknownOperationException", $"Unknown operation {target}").ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away.
        }
    }

    private async Task DescribeAsync(HttpListenerContext context, JsonObject request, List<Stream> all)
    {
        IEnumerable<Stream> streams = all;
        if ((string?)request["logStreamNamePrefix"] is { } prefix)
        {
            if ((string?)request["orderBy"] == "LastEventTime")
            {
                await ErrorAsync(context, 400, "InvalidParameterException", "Cannot order by LastEventTime with a logStreamNamePrefix.").ConfigureAwait(false);
                return;
            }

            streams = streams.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal));
        }

        streams = (string?)request["orderBy"] == "LastEventTime" ? streams.OrderBy(s => s.Last) : streams.OrderBy(s => s.Name, StringComparer.Ordinal);
        if ((bool?)request["descending"] == true)
        {
            streams = streams.Reverse();
        }

        var list = streams.ToList();
        var offset = (string?)request["nextToken"] is { } token ? int.Parse(token, CultureInfo.InvariantCulture) : 0;
        var limit = Math.Min((int?)request["limit"] ?? 50, StreamPageSize);
        var page = list.Skip(offset).Take(limit).Select(s => new JsonObject
        {
            ["logStreamName"] = s.Name,
            ["creationTime"] = s.First,
            ["firstEventTimestamp"] = s.First,
            ["lastEventTimestamp"] = s.Last,
            ["lastIngestionTime"] = s.Last + 500,
            ["storedBytes"] = 0,
            ["arn"] = $"arn:aws:logs:{Region}:123456789012:log-group:{request["logGroupName"]}:log-stream:{s.Name}",
        }).ToArray<JsonNode?>();
        GrowListed(list.Skip(offset).Take(limit));
        var response = new JsonObject { ["logStreams"] = new JsonArray(page) };
        if (offset + limit < list.Count)
        {
            response["nextToken"] = (offset + limit).ToString(CultureInfo.InvariantCulture);
        }

        await JsonAsync(context, response).ConfigureAwait(false);
    }

    private static List<(long Timestamp, string Message)> Window(Stream stream, JsonObject request)
    {
        var start = (long?)request["startTime"] ?? long.MinValue;
        var end = (long?)request["endTime"] ?? long.MaxValue;
        lock (stream.Events)
        {
            return stream.Events.Where(e => e.Timestamp >= start && e.Timestamp <= end).ToList();
        }
    }

    private async Task GetEventsAsync(HttpListenerContext context, JsonObject request, List<Stream> streams)
    {
        var stream = streams.FirstOrDefault(s => s.Name == (string?)request["logStreamName"]);
        if (stream is null)
        {
            await ErrorAsync(context, 400, "ResourceNotFoundException", "The specified log stream does not exist.").ConfigureAwait(false);
            return;
        }

        if ((bool?)request["startFromHead"] != true)
        {
            await ErrorAsync(context, 400, "InvalidParameterException", "this test server serves startFromHead=true only").ConfigureAwait(false);
            return;
        }

        var events = Window(stream, request);
        var token = (string?)request["nextToken"];
        var offset = token is null ? 0 : int.Parse(token["f/".Length..], CultureInfo.InvariantCulture);
        var page = events.Skip(offset).Take(PageSize).ToList();
        var response = new JsonObject
        {
            ["events"] = new JsonArray(page.Select(e => (JsonNode?)new JsonObject { ["timestamp"] = e.Timestamp, ["message"] = e.Message, ["ingestionTime"] = e.Timestamp + 500 }).ToArray()),
            // At the end CloudWatch hands back the token it was given.
            ["nextForwardToken"] = "f/" + (offset + page.Count).ToString("D8", CultureInfo.InvariantCulture),
            ["nextBackwardToken"] = "b/" + offset.ToString("D8", CultureInfo.InvariantCulture),
        };
        if (await TryBreakAsync(context, stream.Name, offset / PageSize, response).ConfigureAwait(false))
        {
            return;
        }

        await JsonAsync(context, response).ConfigureAwait(false);
    }

    private async Task FilterAsync(HttpListenerContext context, JsonObject request, List<Stream> streams)
    {
        var names = request["logStreamNames"]?.AsArray().Select(n => (string?)n).ToHashSet();
        var prefix = (string?)request["logStreamNamePrefix"];
        var events = streams
            .Where(s => (names is null || names.Contains(s.Name)) && (prefix is null || s.Name.StartsWith(prefix, StringComparison.Ordinal)))
            .SelectMany(s => Window(s, request).Select(e => (Stream: s.Name, e.Timestamp, e.Message)))
            .OrderBy(e => e.Timestamp).ToList();
        var offset = (string?)request["nextToken"] is { } token ? int.Parse(token, CultureInfo.InvariantCulture) : 0;
        var page = events.Skip(offset).Take(PageSize).ToList();
        var response = new JsonObject
        {
            ["events"] = new JsonArray(page.Select((e, i) => (JsonNode?)new JsonObject
            {
                ["logStreamName"] = e.Stream, ["timestamp"] = e.Timestamp, ["message"] = e.Message, ["ingestionTime"] = e.Timestamp + 500,
                ["eventId"] = (offset + i).ToString(CultureInfo.InvariantCulture),
            }).ToArray()),
            ["searchedLogStreams"] = new JsonArray(),
        };
        if (offset + page.Count < events.Count)
        {
            response["nextToken"] = (offset + page.Count).ToString(CultureInfo.InvariantCulture);
        }

        await JsonAsync(context, response).ConfigureAwait(false);
    }

    /// <summary>Recomputes the SigV4 signature of a request; returns what is wrong, or null when it is valid.</summary>
    internal static string? CheckSignature(HttpListenerRequest request, byte[] body)
    {
        var authorization = request.Headers["Authorization"];
        if (authorization is null || !authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
        {
            return "missing AWS4-HMAC-SHA256 Authorization header";
        }

        var parts = authorization["AWS4-HMAC-SHA256 ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        var scope = parts.GetValueOrDefault("Credential", "").Split('/');
        if (scope.Length != 5 || scope[0] != AccessKey || scope[2] != Region || scope[3] != "logs" || scope[4] != "aws4_request")
        {
            return $"bad credential scope {parts.GetValueOrDefault("Credential")}";
        }

        var amzDate = request.Headers["X-Amz-Date"];
        if (amzDate is null || !DateTime.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var signedAt)
            || Math.Abs((DateTime.UtcNow - signedAt).TotalMinutes) > 15 || amzDate[..8] != scope[1])
        {
            return $"bad or stale X-Amz-Date {amzDate}";
        }

        var signedHeaders = parts.GetValueOrDefault("SignedHeaders", "").Split(';');
        if (!signedHeaders.Contains("host") || !signedHeaders.Contains("x-amz-date") || !signedHeaders.Contains("x-amz-target"))
        {
            return "host, x-amz-date and x-amz-target must be signed";
        }

        var payloadHash = Hex(SHA256.HashData(body));
        if (request.Headers["X-Amz-Content-SHA256"] is { } declared && declared != payloadHash)
        {
            return "X-Amz-Content-SHA256 does not match the body";
        }

        var canonicalHeaders = new StringBuilder();
        foreach (var name in signedHeaders)
        {
            var value = request.Headers[name] ?? "";
            canonicalHeaders.Append(name).Append(':').Append(string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))).Append('\n');
        }

        var canonicalRequest = $"{request.HttpMethod}\n{request.Url!.AbsolutePath}\n{request.Url.Query.TrimStart('?')}\n{canonicalHeaders}\n{string.Join(';', signedHeaders)}\n{payloadHash}";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope[1]}/{scope[2]}/{scope[3]}/aws4_request\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + SecretKey), scope[1]);
        key = Hmac(key, scope[2]);
        key = Hmac(key, scope[3]);
        key = Hmac(key, "aws4_request");
        var expected = Hex(Hmac(key, stringToSign));
        return expected == parts.GetValueOrDefault("Signature") ? null : "The request signature we calculated does not match the signature you provided.";
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static async Task ErrorAsync(HttpListenerContext context, int status, string type, string message) =>
        await JsonAsync(context, new JsonObject { ["__type"] = type, ["message"] = message }, status).ConfigureAwait(false);

    private static async Task JsonAsync(HttpListenerContext context, JsonObject body, int status = 200)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        context.Response.Close();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }
}

/// <summary>The shared samples' real logs, served as CloudWatch streams the way DeepRacer names them.</summary>
public static class CloudWatchSamples
{
    public const string Robomaker = "/aws/robomaker/SimulationJobs";
    public const string Sagemaker = "/aws/sagemaker/TrainingJobs";
    public const string Leaderboard = "/aws/deepracer/leaderboard/SimulationJobs";

    public static string ConsoleEvaluation1 => TestSupport.Sample("sample-console-logs/logs/evaluation/evaluation-20220612082853-IBZwYd0MRMqgwKlAe7bb0A-robomaker.log");

    public static string ConsoleEvaluation2 => TestSupport.Sample("sample-console-logs/logs/evaluation/evaluation-20220612083839-PMfF__s5QJSQT_-E0rEYwg-robomaker.log");

    public static string ConsoleLeaderboard1 => TestSupport.Sample("sample-console-logs/logs/leaderboard/leaderboard-20220703172842-wDhqXQC-SkGOinLUdZCQZQ-robomaker.log");

    public static string ConsoleLeaderboard2 => TestSupport.Sample("sample-console-logs/logs/leaderboard/leaderboard-20220703174103-zi4mg1gOTvugQLn-3BfL4g-robomaker.log");

    public static string ConsoleSagemaker => TestSupport.Sample("sample-console-logs/logs/training/training-20220611230350-EHNgTNY2T9-77qXhqjBi6A-sagemaker.log");

    public static string DroaTraining => TestSupport.Sample("sample-droa-solution-logs/logs/training/2026-03-06T20:36:57.936Z-deepracerindy-training-ACGVRmRuFNU9NkQ-simulation.log");

    public static string DroaEvaluation => TestSupport.Sample("sample-droa-solution-logs/logs/evaluation/2026-03-07T17:59:20.610Z-deepracerindy-evaluation-9oJ3QbS0SYm7Iag-simulation.log");

    /// <summary>Start times of the streams (their first event); each later event is 100 ms after the one before.</summary>
    public static readonly DateTimeOffset SagemakerStart = new(2022, 6, 11, 20, 58, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Evaluation1Start = new(2022, 6, 12, 8, 25, 30, TimeSpan.Zero);
    public static readonly DateTimeOffset Evaluation2Start = new(2022, 6, 12, 8, 35, 15, TimeSpan.Zero);
    public static readonly DateTimeOffset Leaderboard1Start = new(2022, 7, 3, 17, 24, 20, TimeSpan.Zero);
    public static readonly DateTimeOffset Leaderboard2Start = new(2022, 7, 3, 17, 36, 56, TimeSpan.Zero);
    public static readonly DateTimeOffset DroaTrainingStart = new(2026, 3, 6, 18, 37, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset DroaEvaluationStart = new(2026, 3, 7, 17, 54, 0, TimeSpan.Zero);

    /// <summary>Fills the server: robomaker group with the console evaluations and the DROA simulation logs, the sagemaker log, the leaderboard runs.</summary>
    public static void Load(CloudWatchTestServer server, bool withSagemaker = true, bool withRobomaker = true, bool withLeaderboard = true)
    {
        if (withRobomaker)
        {
            server.AddStream(Robomaker, "sim-ggd6pry2r37m/2022-06-12T08-25-30.259Z_d257b2de-26fd-463e-8026-9140fbfe8c0f/SimulationApplicationLogs", File.ReadAllText(ConsoleEvaluation1), Evaluation1Start);
            server.AddStream(Robomaker, "sim-4dnvn7g5y0wk/2022-06-12T08-35-15.131Z_d8fa8d64-d465-4002-8409-c03ae087cae1/SimulationApplicationLogs", File.ReadAllText(ConsoleEvaluation2), Evaluation2Start);
            server.AddStream(Robomaker, "sim-droatrain0001/2026-03-06T18-37-00.000Z_0001/SimulationApplicationLogs", File.ReadAllText(DroaTraining), DroaTrainingStart);
            server.AddStream(Robomaker, "sim-droaeval00001/2026-03-07T17-54-00.000Z_0001/SimulationApplicationLogs", File.ReadAllText(DroaEvaluation), DroaEvaluationStart);
        }

        if (withSagemaker)
        {
            server.AddStream(Sagemaker, "dr-sm-rltj--20220611205309-2977ce21/algo-1-1654981080", File.ReadAllText(ConsoleSagemaker), SagemakerStart);
        }

        if (withLeaderboard)
        {
            server.AddStream(Leaderboard, "sim-7dlscz7fw4vl/2022-07-03T17-24-20.820Z_420e3b72-fb0d-4244-bde8-51540675143c/SimulationApplicationLogs", File.ReadAllText(ConsoleLeaderboard1), Leaderboard1Start);
            server.AddStream(Leaderboard, "sim-pvl99qy8kvbv/2022-07-03T17-36-56.338Z_f1447153-0901-478d-9fc8-f1dbcfc0e042/SimulationApplicationLogs", File.ReadAllText(ConsoleLeaderboard2), Leaderboard2Start);
        }
    }

    public static CloudWatchOptions Options(CloudWatchTestServer server, string? secret = null) => new()
    {
        EndpointUrl = server.Url,
        Region = CloudWatchTestServer.Region,
        Credentials = new Amazon.Runtime.BasicAWSCredentials(CloudWatchTestServer.AccessKey, secret ?? CloudWatchTestServer.SecretKey),
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(20),
        MaxRetries = 4,
    };
}
