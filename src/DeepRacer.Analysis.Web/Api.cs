using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;
using Microsoft.AspNetCore.Http;

namespace DeepRacer.Analysis.Web;

/// <summary>A request the API cannot answer as asked (400).</summary>
internal sealed class BadRequestException(string message) : Exception(message);

/// <summary>The dashboard's answers, as JSON strings computed from one <see cref="ModelSnapshot"/>.</summary>
internal static class Api
{
    /// <summary>Rows per page of the episode table at most: big models are paged on the server.</summary>
    public const int MaxPageSize = 500;

    private static readonly string[] s_trainingColumns =
        ["iteration", "episode", "worker", "steps", "start_at", "progress", "time", "dist", "speed", "reward", "quintile", "complete"];

    private static readonly string[] s_evaluationColumns =
        ["stream", "episode", "steps", "start_at", "progress", "time", "dist", "speed", "crashed", "off_track", "complete"];

    public static JsonObject Status(LiveModel model)
    {
        var s = model.Snapshot;
        return new JsonObject
        {
            ["source"] = model.Index,
            ["name"] = model.Name,
            ["location"] = model.Location,
            ["version"] = s.Version,
            ["loading"] = s.Loading,
            ["latestIteration"] = s.LatestIteration,
            ["updatedAt"] = s.UpdatedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["warning"] = s.Warning,
            ["episodes"] = s.Training?.Episodes.RowCount ?? 0,
            ["evaluationRuns"] = s.Evaluation?.Steps.Streams.Count ?? 0,
            ["leaderboardRuns"] = s.Leaderboard?.Steps.Streams.Count ?? 0,
        };
    }

    /// <summary>The answer first (best lap, completion trend, checkpoint, simulator health), then the model and its charts.</summary>
    public static string Overview(LiveModel model) => model.Snapshot.Cached("overview", () =>
    {
        var s = model.Snapshot;
        var result = new JsonObject { ["status"] = Status(model), ["model"] = Model(s) };
        var charts = new JsonArray();
        if (s.Training is { } t)
        {
            var progress = s.Cached("progress", () => TrainingProgress.Analyze(t.Episodes));
            result["answer"] = Answer(t, progress.PerIteration);
            var best = t.Episodes.CompletedLaps();
            var order = best.RowCount > 0 ? best.Order("time") : t.Episodes.Order("progress", descending: true);
            var table = best.RowCount > 0 ? best : t.Episodes;
            var top = order.Take(10).ToList();
            var bestLaps = Json.Table(table, top, s_trainingColumns);
            bestLaps["keys"] = new JsonArray([.. top.Select(r => (JsonNode?)Key(table, r))]);
            result["bestLaps"] = bestLaps;
            var perIteration = progress.PerIteration;
            var its = perIteration.Get<int>("iteration").ToArray().Select(i => (double)i).ToList();
            charts.Append(Chart("completion", new ChartPanel("Completion and progress per iteration", "iteration", "percent",
            [
                new ChartSeries("completion rate", "#ff7f0e", its, [.. perIteration.Get<double>("completion_rate").ToArray().Select(v => v * 100)], SeriesStyle.LineWithMarkers),
                new ChartSeries("mean progress", "#2ca02c", its, perIteration.Get<double>("progress_mean").ToArray(), SeriesStyle.LineWithMarkers),
            ])
            { YRange = (0, 100) }));
        }

        if (s.Metrics is { } metrics && metrics.Training.Any())
        {
            charts.Append(Chart("metrics-progress", MetricsCharts.Progress(metrics)));
            charts.Append(Chart("plot-progress", MetricsCharts.PlotProgress(metrics, [Metrics.SummaryMethod.Median, Metrics.SummaryMethod.Mean, Metrics.SummaryMethod.Max])));
        }

        result["charts"] = charts;
        return result.ToJsonString();
    });

    internal static JsonObject Chart(string id, ChartData chart) => new() { ["id"] = id, ["figures"] = Json.Figures(chart) };

    private static JsonObject Chart(string id, ChartPanel panel) => new() { ["id"] = id, ["figures"] = Json.Figures(panel) };

    private static JsonObject Answer(StepSet t, Table perIteration)
    {
        var e = t.Episodes;
        var answer = new JsonObject();
        var laps = e.CompletedLaps();
        if (laps.RowCount > 0)
        {
            var best = laps.Order("time")[0];
            answer["bestLap"] = new JsonObject
            {
                ["time"] = Json.Number(laps.Time[best]),
                ["iteration"] = laps.Get<int>("iteration")[best],
                ["episode"] = laps.Get<int>("episode")[best],
                ["worker"] = laps.HasColumn("worker") ? laps.Get<int>("worker")[best] : null,
                ["key"] = Key(laps, best),
            };
        }

        var ranking = CheckpointRanking.Analyze(e).Ranking;
        var rates = perIteration.Get<double>("completion_rate").ToArray();
        var recent = rates.TakeLast(5).ToArray();
        var before = rates.SkipLast(5).TakeLast(5).ToArray();
        answer["completion"] = new JsonObject
        {
            ["recent"] = Json.Number(recent.Average() * 100),
            ["before"] = before.Length == 0 ? null : Json.Number(before.Average() * 100),
            ["overall"] = Json.Number(e.Complete.ToArray().Average() * 100),
        };
        answer["checkpoint"] = new JsonObject
        {
            ["iteration"] = ranking.Get<int>("iteration")[0],
            ["completionRate"] = Json.Number(ranking.Get<double>("completion_rate")[0] * 100),
            ["lapTimeMean"] = Json.Number(ranking.Get<double>("complete_time_mean")[0]),
        };
        return answer;
    }

    /// <summary>Simulator health, step timing over every training step; <c>{"pending": true}</c> while it is computed in the background.</summary>
    public static string Health(LiveModel model)
    {
        var s = model.Snapshot;
        return model.Background(s, "health", () => HealthOf(s)) ?? Pending;
    }

    private static string HealthOf(ModelSnapshot s)
    {
        if (s.Training is not { } t)
        {
            return new JsonObject { ["pending"] = false }.ToJsonString();
        }

        var health = StabilityAnalysis.Analyze(t.Steps).Overall;
        return new JsonObject
        {
            ["pending"] = false,
            ["avgMs"] = Json.Number(health.AvgMs),
            ["p95Ms"] = Json.Number(health.P95Ms),

            // The simulator targets 15 steps per second (66.7 ms); a mean over 70 ms or a p95 over 90 ms is too slow.
            ["ok"] = !(health.AvgMs > 70 || health.P95Ms > 90),
        }.ToJsonString();
    }

    /// <summary>The answer of a page whose data is still being computed; the page asks again.</summary>
    public const string Pending = """{"pending":true}""";

    private static JsonObject Model(ModelSnapshot s)
    {
        var info = s.Info;
        var model = new JsonObject
        {
            ["world"] = info?.WorldName,
            ["track"] = s.Track?.Track.ToString(),
            ["trackReason"] = s.Track?.Reason ?? s.TrackError,
            ["actionSpace"] = info?.ActionSpace?.ToString(),
            ["agent"] = info?.Agent is { } agent
                ? string.Join(", ", new[] { agent.TrainingAlgorithm, agent.Network, agent.SensorList.Count > 0 ? "sensors " + string.Join(" + ", agent.SensorList) : null }.Where(v => v is not null))
                : null,
        };
        var hyper = new JsonObject();
        foreach (var (key, value) in (info?.Hyperparameters?.Values ?? new Dictionary<string, System.Text.Json.JsonElement>()).OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            hyper[key] = value.ToString();
        }

        model["hyperparameters"] = hyper;
        if (info?.ActionSpace is { IsContinuous: false } space)
        {
            model["actions"] = new JsonArray([.. space.Actions.Select(a => (JsonNode?)new JsonObject
            {
                ["index"] = a.Index, ["steering"] = a.SteeringAngle, ["speed"] = a.Speed,
            })]);
        }

        return model;
    }

    /// <summary>A page of the filtered, sorted episode table.</summary>
    public static string Episodes(LiveModel model, IQueryCollection q)
    {
        var s = model.Snapshot;
        var kind = Kind(q);
        var set = s.Of(kind) ?? throw new BadRequestException($"No {kind.ToString().ToLowerInvariant()} episodes in {model.Name}.");
        var e = set.Episodes;
        var rows = Filter(e, q);
        var sort = q["sort"].ToString();
        if (sort.Length > 0)
        {
            if (!e.HasColumn(sort))
            {
                throw new BadRequestException($"No column '{sort}' to sort by.");
            }

            var desc = q["desc"] == "1" || q["desc"] == "true";

            // Sorting 50,000 episodes through the table's comparer takes a while: once per column and snapshot.
            var order = s.Cached(OrderKey(kind, sort, desc), () => e.Order(sort, desc));
            var keep = new bool[e.RowCount];
            rows.ForEach(r => keep[r] = true);
            rows = [.. order.Where(r => keep[r])];
        }

        var offset = Int(q, "offset") ?? 0;
        var limit = Math.Clamp(Int(q, "limit") ?? 50, 1, MaxPageSize);
        var page = rows.Skip(Math.Max(0, offset)).Take(limit).ToList();
        var result = Json.Table(e, page, kind == StepTableKind.Training ? s_trainingColumns : s_evaluationColumns);
        result["keys"] = new JsonArray([.. page.Select(r => (JsonNode?)Key(e, r))]);
        result["total"] = e.RowCount;
        result["filtered"] = rows.Count;
        result["offset"] = offset;
        result["version"] = s.Version;
        return result.ToJsonString();
    }

    private static string OrderKey(StepTableKind kind, string column, bool descending) => $"order:{kind}:{column}:{descending}";

    /// <summary>Queues the sort of the training episodes by every column the table shows, both ways, on the background thread.</summary>
    public static void PrecomputeOrders(LiveModel model)
    {
        var s = model.Snapshot;
        _ = model.Background(s, "orders", () =>
        {
            if (s.Training is { } t)
            {
                foreach (var column in s_trainingColumns.Where(t.Episodes.HasColumn))
                {
                    foreach (var descending in new[] { false, true })
                    {
                        if (!ReferenceEquals(s, model.Snapshot))
                        {
                            throw new OperationCanceledException();
                        }

                        _ = s.Cached(OrderKey(StepTableKind.Training, column, descending), () => t.Episodes.Order(column, descending));
                    }
                }
            }

            return "";
        });
    }

    /// <summary>Row indexes of the episodes that pass every filter in the query.</summary>
    internal static List<int> Filter(EpisodeTable e, IQueryCollection q)
    {
        var iteration = e.HasColumn("iteration") ? e.Get<int>("iteration").ToArray() : null;
        var worker = e.HasColumn("worker") ? e.Get<int>("worker").ToArray() : null;
        var startAt = e.Get<int>("start_at").ToArray();
        var progress = e.Progress.ToArray();
        var complete = e.Complete.ToArray();
        var reward = e.HasColumn("reward") ? e.Get<double>("reward").ToArray() : null;
        var quintile = e.HasColumn("quintile") ? e["quintile"] : null;
        var stream = e.HasColumn("stream") ? e["stream"] : null;
        var (fromIt, toIt) = (Int(q, "from"), Int(q, "to"));
        var w = Int(q, "worker");
        var start = Int(q, "start");
        var (pMin, pMax) = (Double(q, "pmin"), Double(q, "pmax"));
        var (rMin, rMax) = (Double(q, "rmin"), Double(q, "rmax"));
        var onlyComplete = q["complete"] == "1" || q["complete"] == "true";
        var quint = q["quintile"].ToString();
        var streamName = q["stream"].ToString();
        var rows = new List<int>();
        for (var i = 0; i < e.RowCount; i++)
        {
            if ((iteration is not null && ((fromIt is { } f && iteration[i] < f) || (toIt is { } t && iteration[i] > t)))
                || (w is { } wk && (worker is null ? wk != 0 : worker[i] != wk))
                || (start is { } st && startAt[i] != st)
                || (pMin is { } pl && !(progress[i] >= pl))
                || (pMax is { } ph && !(progress[i] <= ph))
                || (onlyComplete && complete[i] != 1)
                || (reward is not null && ((rMin is { } rl && !(reward[i] >= rl)) || (rMax is { } rh && !(reward[i] <= rh))))
                || (quint.Length > 0 && quintile is not null && quintile.AsText(i) != quint)
                || (streamName.Length > 0 && stream is not null && stream.AsText(i) != streamName))
            {
                continue;
            }

            rows.Add(i);
        }

        return rows;
    }

    /// <summary>A stable name of an episode for links: <c>iteration/unique episode</c> (training) or <c>stream/episode</c>.</summary>
    internal static string Key(Table e, int row) => e.HasColumn("stream")
        ? $"{e["stream"].AsText(row)}/{e["episode"].AsDouble(row)}"
        : $"{e["iteration"].AsDouble(row)}/{(e.HasColumn("unique_episode") ? e["unique_episode"] : e["episode"]).AsDouble(row)}";

    /// <summary>One episode: its row, every step's position and values, and the track.</summary>
    public static string Episode(LiveModel model, IQueryCollection q)
    {
        var s = model.Snapshot;
        var kind = Kind(q);
        var set = s.Of(kind) ?? throw new BadRequestException($"No {kind.ToString().ToLowerInvariant()} episodes in {model.Name}.");
        var key = q["key"].ToString();
        var e = set.Episodes;
        if (!KeyIndex(s, kind).TryGetValue(key, out var row))
        {
            throw new NotFoundException($"No episode '{key}' in {model.Name}.");
        }

        var steps = set.Steps;
        var rows = set.Rows.Of(e, row);
        var status = new JsonArray();
        foreach (var r in rows)
        {
            status.Append(steps.StatusName(steps.Status[r]));
        }

        var actions = new JsonArray();
        foreach (var r in rows)
        {
            actions.Append(steps.Action[r]);
        }

        var stepNumbers = new JsonArray();
        foreach (var r in rows)
        {
            stepNumbers.Append(steps.Steps[r]);
        }

        var result = new JsonObject
        {
            ["key"] = key,
            ["episode"] = Json.Table(e, [row]),
            ["steps"] = new JsonObject
            {
                ["step"] = stepNumbers,
                ["x"] = Json.Numbers(steps.X, rows, digits: 3),
                ["y"] = Json.Numbers(steps.Y, rows, digits: 3),
                ["speed"] = Json.Numbers(steps.Speed, rows),
                ["steering"] = Json.Numbers(steps.SteeringAngle, rows),
                ["reward"] = Json.Numbers(steps.Reward, rows),
                ["progress"] = Json.Numbers(steps.Progress, rows),
                ["action"] = actions,
                ["status"] = status,
            },
            ["track"] = s.Track is { } t ? TrackLines(t.Track) : null,
        };
        return result.ToJsonString();
    }

    /// <summary>Episode table row by <see cref="Key"/>, built once per snapshot.</summary>
    internal static Dictionary<string, int> KeyIndex(ModelSnapshot s, StepTableKind kind) => s.Cached("keys:" + kind, () =>
    {
        var e = s.Of(kind)?.Episodes;
        return e is null ? [] : Enumerable.Range(0, e.RowCount).ToDictionary(r => Key(e, r), StringComparer.Ordinal);
    });

    internal static JsonObject TrackLines(Tracks.Track track)
    {
        static JsonObject Line(ReadOnlySpan<Tracks.TrackPoint> points)
        {
            var x = new JsonArray();
            var y = new JsonArray();
            foreach (var p in points)
            {
                x.Append(Math.Round(p.X, 3));
                y.Append(Math.Round(p.Y, 3));
            }

            return new JsonObject { ["x"] = x, ["y"] = y };
        }

        return new JsonObject
        {
            ["name"] = track.ToString(),
            ["center"] = Line(track.CenterLine),
            ["inner"] = Line(track.InnerBorder),
            ["outer"] = Line(track.OuterBorder),
        };
    }

    internal static StepTableKind Kind(IQueryCollection q) => q["kind"].ToString() switch
    {
        "" or "training" => StepTableKind.Training,
        "evaluation" => StepTableKind.Evaluation,
        "leaderboard" => StepTableKind.Leaderboard,
        var k => throw new BadRequestException($"Unknown kind '{k}': training, evaluation or leaderboard."),
    };

    internal static int? Int(IQueryCollection q, string name) =>
        q[name].ToString() is { Length: > 0 } v
            ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw new BadRequestException($"{name}={v} is not a whole number.")
            : null;

    internal static double? Double(IQueryCollection q, string name) =>
        q[name].ToString() is { Length: > 0 } v
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : throw new BadRequestException($"{name}={v} is not a number.")
            : null;
}

/// <summary>Asked for something that does not exist (404).</summary>
internal sealed class NotFoundException(string message) : Exception(message);
