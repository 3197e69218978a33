using System.Net;
using System.Reflection;
using DeepRacer.Analysis.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace DeepRacer.Analysis.Web;

/// <summary>
/// The live dashboard: a read-only Kestrel app over one or more model sources. It serves only its own embedded pages
/// and JSON API, follows the sources as they grow (new files only) and pushes updates to open pages as server-sent events.
/// </summary>
/// <example>
/// <code>
/// await using var dashboard = await Dashboard.StartAsync(new DashboardOptions { Sources = ["samples/sample-drfc-3-logs"] });
/// Console.WriteLine(dashboard.Url);
/// await dashboard.WaitAsync(cancellationToken);
/// </code>
/// </example>
public sealed class Dashboard : IAsyncDisposable
{
    /// <summary>The pages; each is the same shell, which draws the page its path names.</summary>
    public static readonly IReadOnlyList<string> Pages = ["/", "/episodes", "/episode", "/track", "/evaluations", "/compare", "/reward"];

    private readonly WebApplication _app;
    private readonly IReadOnlyList<LiveModel> _models;
    private readonly EventHub _hub = new();
    private readonly BackgroundWorker _worker;
    private RewardRunner? _reward;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _interval;
    private readonly Func<Exception, string> _describe;
    private readonly TaskCompletionSource _firstLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _poller = Task.CompletedTask;
    private volatile Tuple<string, string>? _compareCache;

    private Dashboard(WebApplication app, IReadOnlyList<LiveModel> models, BackgroundWorker worker, DashboardOptions options)
    {
        _app = app;
        _worker = worker;
        _models = models;
        _interval = options.Interval;
        _describe = options.DescribeError ?? (e => e.Message);
    }

    /// <summary>Where the dashboard listens, e.g. <c>http://127.0.0.1:5000/</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every address bound.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>
    /// Opens every source (a listing, so a wrong path fails at once), starts listening, then loads the steps in the
    /// background; pages show "loading" until the first load is done and update by themselves.
    /// </summary>
    /// <exception cref="DeepRacerLogException">A source is missing or not a model, or the host is not an address.</exception>
    /// <exception cref="IOException">The port is taken.</exception>
    public static async Task<Dashboard> StartAsync(DashboardOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Sources.Count == 0)
        {
            throw new DeepRacerLogException("No source to serve: give a model folder, a .tar.gz, a log file or s3://bucket/prefix.");
        }

        var address = ParseHost(options.Host);
        var models = new List<LiveModel>();
        var worker = new BackgroundWorker();
        RewardRunner? reward = null;
        try
        {
            for (var i = 0; i < options.Sources.Count; i++)
            {
                models.Add(await LiveModel.OpenAsync(i, options.Sources[i], options.S3, options.Track, worker, cancellationToken).ConfigureAwait(false));
            }

            reward = await StartRewardAsync(options, worker, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            models.ForEach(m => m.Dispose());
            worker.Dispose();
            throw;
        }

        if (reward is not null)
        {
            models.ForEach(m => m.FollowReward(reward));
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(address, options.Port);
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var dashboard = new Dashboard(app, models, worker, options) { _reward = reward };
        dashboard.Map(options);

        // The first load takes seconds on a big model: it starts now, while Kestrel starts (pages say "loading" meanwhile).
        dashboard._poller = Task.Run(() => dashboard.PollLoopAsync(dashboard._stop.Token), CancellationToken.None);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await dashboard.DisposeAsync().ConfigureAwait(false);
            throw new DeepRacerLogException($"Cannot listen on {address}:{options.Port} ({e.Message.TrimEnd('.')}): choose another port.", e);
        }
        catch
        {
            await dashboard.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        dashboard.Addresses = [.. app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses];
        dashboard.Url = new Uri(dashboard.Addresses[0].Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://[::]:", "://127.0.0.1:", StringComparison.Ordinal) + "/");
        return dashboard;
    }

    /// <summary>Completes when every source has been loaded once (pages show "loading" until then).</summary>
    public Task FirstLoad => _firstLoad.Task;

    /// <summary>The served sources: name, episodes loaded and latest iteration, one line each.</summary>
    public IEnumerable<string> Describe() => _models.Select(m => m.Snapshot is var s && s.Training is { } t
        ? $"{m.Name}: {t.Episodes.RowCount} training episodes, latest iteration {s.LatestIteration}"
        : $"{m.Name}: no training steps yet" + (s.Warning is { } w ? $" ({w})" : ""));

    /// <summary>Runs until <paramref name="cancellationToken"/> fires, then stops cleanly.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<RewardRunner?> StartRewardAsync(DashboardOptions options, BackgroundWorker worker, CancellationToken cancellationToken) =>
        options.RewardFunction is { } path
            ? await RewardRunner.StartAsync(path, options.RewardOptions, worker, options.RewardReversed, options.DescribeError ?? (e => e.Message), cancellationToken).ConfigureAwait(false)
            : null;

    private static IPAddress ParseHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(host, out var address)
            ? address
            : throw new DeepRacerLogException($"'{host}' is not an IP address to bind: use 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one interface's address.");
    }

    private async Task PollLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var model in _models)
            {
                try
                {
                    if (await model.PollAsync(cancellationToken).ConfigureAwait(false))
                    {
                        // The Overview first, before telling pages, so the request they make next is answered from the cache.
                        Api.Overview(model);
                        _hub.Publish(Api.Status(model).ToJsonString());

                        // The rest reads every step (seconds on a big model): queued on the background thread, in the
                        // order pages are likely to ask, so each is ready before it is asked for.
                        Precompute(model, _worker, _stop.Token);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }

            _firstLoad.TrySetResult();
            try
            {
                await Task.Delay(_interval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static void Precompute(LiveModel model, BackgroundWorker worker, CancellationToken cancellationToken)
    {
        var s = model.Snapshot;

        // First what the Episodes page needs (the episode index, the first run of its code, the sort orders), then the
        // reward replay, the Overview's health card and the track page.
        _ = model.Background(s, "warm", () =>
        {
            _ = s.Training?.Rows;
            var keys = Api.KeyIndex(s, Analysis.Tables.StepTableKind.Training);
            if (keys.Count > 0)
            {
                _ = Api.Episode(model, new QueryCollection(new Dictionary<string, StringValues> { ["key"] = keys.Keys.First() }));
            }

            return Api.Episodes(model, new QueryCollection(new Dictionary<string, StringValues> { ["sort"] = "time" }));
        });
        Api.PrecomputeOrders(model);
        _ = RewardApi.Start(model, worker, cancellationToken);
        _ = Api.Health(model);
        TrackApi.Precompute(model);
    }

    private void Map(DashboardOptions options)
    {
        var app = _app;
        app.Use(Guard);
        var shell = Asset("index.html");
        foreach (var page in Pages)
        {
            app.MapGet(page, () => Results.Bytes(shell, "text/html; charset=utf-8"));
        }

        var js = Asset("app.js");
        var css = Asset("app.css");
        var plotly = System.Text.Encoding.UTF8.GetBytes(PlotlyJs.Source);
        app.MapGet("/assets/app.js", () => Results.Bytes(js, "text/javascript; charset=utf-8"));
        app.MapGet("/assets/app.css", () => Results.Bytes(css, "text/css; charset=utf-8"));
        app.MapGet("/assets/plotly.js", (HttpContext c) =>
        {
            c.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Bytes(plotly, "text/javascript; charset=utf-8");
        });

        app.MapGet("/api/sources", () => Results.Content(new JsonObject
        {
            ["sources"] = new JsonArray([.. _models.Select(m => (JsonNode?)Api.Status(m))]),
            ["rewardFunction"] = _reward?.Name,
            ["plotly"] = PlotlyJs.Version,
        }.ToJsonString(), "application/json"));
        app.MapGet("/api/overview", (HttpContext c) => Answer(c, Api.Overview));
        app.MapGet("/api/health", (HttpContext c) => Answer(c, Api.Health));
        app.MapGet("/api/episodes", (HttpContext c) => Answer(c, m => Api.Episodes(m, c.Request.Query)));
        app.MapGet("/api/episode", (HttpContext c) => Answer(c, m => Api.Episode(m, c.Request.Query)));
        app.MapGet("/api/track", (HttpContext c) => Answer(c, m => TrackApi.Track(m, c.Request.Query)));
        app.MapGet("/api/evaluations", (HttpContext c) => Answer(c, m => TrackApi.Evaluations(m, c.Request.Query)));
        app.MapGet("/api/reward", (HttpContext c) => Answer(c, RewardApi.Summary));
        app.MapGet("/api/reward/episode", (HttpContext c) => Answer(c, m => RewardApi.Episode(m, c.Request.Query)));
        app.MapGet("/api/compare", () => Results.Content(Compare(), "application/json"));
        app.MapGet("/api/events", Events);
    }

    /// <summary>
    /// Read-only and nothing but our own routes: any other method is refused, and a path that tries to climb out
    /// (<c>..</c>, plain or percent-encoded, or an encoded slash or backslash in the path) is a 400 before routing sees it.
    /// </summary>
    private static async Task Guard(HttpContext context, RequestDelegate next)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";

        // Only the path names a resource; the query is data (an episode key holds a slash).
        raw = raw.Split('?', 2)[0];
        if (raw.Contains("..", StringComparison.Ordinal) || raw.Contains("%2e", StringComparison.OrdinalIgnoreCase)
            || raw.Contains("%2f", StringComparison.OrdinalIgnoreCase) || raw.Contains("%5c", StringComparison.OrdinalIgnoreCase) || raw.Contains('\\'))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'";
        headers["Referrer-Policy"] = "no-referrer";
        await next(context).ConfigureAwait(false);
    }

    private IResult Answer(HttpContext context, Func<LiveModel, string> answer)
    {
        var index = 0;
        try
        {
            index = Api.Int(context.Request.Query, "source") ?? 0;
            if (index < 0 || index >= _models.Count)
            {
                return Results.Content(Json.Error($"No source {index}: there are {_models.Count}."), "application/json", statusCode: 404);
            }

            if (_models[index].Snapshot.Loading)
            {
                return Results.Content(Json.Error("Still loading."), "application/json", statusCode: 503);
            }

            return Results.Content(answer(_models[index]), "application/json");
        }
        catch (BadRequestException e)
        {
            return Results.Content(Json.Error(e.Message), "application/json", statusCode: 400);
        }
        catch (NotFoundException e)
        {
            return Results.Content(Json.Error(e.Message), "application/json", statusCode: 404);
        }
        catch (DeepRacerLogException e)
        {
            // The data cannot give this answer (no track, no complete lap): say so on the page.
            return Results.Content(Json.Error(_describe(e)), "application/json", statusCode: 422);
        }
    }

    /// <summary>The comparison, computed again only when a source has a new snapshot.</summary>
    private string Compare()
    {
        var versions = string.Join(",", _models.Select(m => m.Snapshot.Version));
        var cached = _compareCache;
        if (cached is null || cached.Item1 != versions)
        {
            cached = Tuple.Create(versions, TrackApi.Compare(_models));
            _compareCache = cached;
        }

        return cached.Item2;
    }

    /// <summary>Server-sent events: the status of every source now, then one event per new snapshot.</summary>
    private async Task Events(HttpContext context)
    {
        var abort = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stop.Token);
        try
        {
            context.Response.Headers.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var reader = _hub.Subscribe(abort.Token);
            foreach (var model in _models)
            {
                await context.Response.WriteAsync($"data: {Api.Status(model).ToJsonString()}\n\n", abort.Token).ConfigureAwait(false);
            }

            await context.Response.Body.FlushAsync(abort.Token).ConfigureAwait(false);
            await foreach (var message in reader.ReadAllAsync(abort.Token).ConfigureAwait(false))
            {
                await context.Response.WriteAsync($"data: {message}\n\n", abort.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(abort.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed or the server stops.
        }
        finally
        {
            abort.Dispose();
        }
    }

    private static byte[] Asset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("assets/" + name)
            ?? throw new InvalidOperationException($"assets/{name} is missing from the assembly.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>Stops listening, ends open event streams and the poller, and closes the sources.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _poller.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        foreach (var model in _models)
        {
            model.Dispose();
        }

        _worker.Dispose();
        _reward?.Dispose();
        _stop.Dispose();
    }
}
