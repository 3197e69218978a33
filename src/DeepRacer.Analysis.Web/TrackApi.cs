using DeepRacer.Analysis.Analyses;
using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;
using Microsoft.AspNetCore.Http;

namespace DeepRacer.Analysis.Web;

/// <summary>Answers over the track (heat map, actions, start waypoints, exit points), the evaluation runs, and the comparison of sources.</summary>
internal static class TrackApi
{
    /// <summary>Step columns the heat map can show.</summary>
    public static readonly IReadOnlyList<string> HeatColumns = ["reward", "speed", "progress", "steering_angle", "action"];

    /// <summary>Exit points drawn at most (the latest); the counts per section use all of them.</summary>
    public const int MaxExitPoints = 5000;

    /// <summary>
    /// The track page: the heat map of one column and the rest (exit points, start waypoints, actions), each computed
    /// once per snapshot in the background, so every column's map is ready before it is asked for.
    /// </summary>
    public static string Track(LiveModel model, IQueryCollection q)
    {
        var column = q["column"].ToString() is { Length: > 0 } c ? c : "reward";
        if (!HeatColumns.Contains(column))
        {
            throw new BadRequestException($"No heat map of '{column}': choose {string.Join(", ", HeatColumns)}.");
        }

        var s = model.Snapshot;
        var rest = model.Background(s, "track", () => Rest(model, s));
        var heat = model.Background(s, "heat:" + column, () => Heat(model, s, column));

        // Both are JSON objects: the answer is the heat map's member followed by the rest's members.
        return rest is null || heat is null ? Api.Pending : $"{{\"heat\":{heat},{rest[1..]}";
    }

    /// <summary>Queues everything the track page shows, the heat map of every column included.</summary>
    public static void Precompute(LiveModel model)
    {
        var s = model.Snapshot;
        _ = model.Background(s, "track", () => Rest(model, s));
        foreach (var column in HeatColumns)
        {
            _ = model.Background(s, "heat:" + column, () => Heat(model, s, column));
        }
    }

    private static (StepSet Set, Track Track) Steps(LiveModel model, ModelSnapshot s)
    {
        var set = s.Training ?? s.Evaluation ?? throw new NotFoundException($"{model.Name} has no steps.");
        var track = s.Track?.Track ?? throw (s.TrackError is { } error
            ? new DeepRacerLogException(error)
            : new DeepRacerLogException(InputProblem.TrackRequired, $"The track of {model.Name} is not known: start with {InputSetting.Track}."));
        return (set, track);
    }

    private static string Heat(LiveModel model, ModelSnapshot s, string column)
    {
        var (set, track) = Steps(model, s);
        var heat = Heatmap.Analyze(set.Steps, null, track, column, HeatmapAggregate.Mean, cellSize: 0.1);

        // Three decimals are more than a colour scale shows, and halve the answer.
        var values = Array.ConvertAll(heat.Values, v => Math.Round(v, 3));
        var panel = new ChartPanel($"Mean {column} over {track.Name} (10 cm cells)", "x (m)", "y (m)", AnalysisCharts.TrackLines(track))
        {
            EqualAxes = true,
            Heat = new HeatGrid(heat.OriginX, heat.OriginY, heat.CellSize, heat.Columns, heat.Rows, values, "mean " + column),
        };
        return Json.Figures(panel).ToJsonString();
    }

    private static string Rest(LiveModel model, ModelSnapshot s)
    {
        var (set, track) = Steps(model, s);
        var source = new ChartSource(set.Steps, set.Episodes, s.Track);
        var breakdown = TrackBreakdown.Shipped(track) ?? TrackBreakdown.Even(track);
        var actions = ActionBreakdown.Analyze(set.Steps, track, breakdown);
        return new JsonObject
        {
            ["track"] = Api.TrackLines(track),
            ["startWaypoints"] = Json.Figures(AnalysisCharts.Build("start-waypoints", source)),
            ["actions"] = Json.Table(actions.Counts),
            ["exits"] = Exits(set.Steps, track, TrackBreakdown.Even(track)),
        }.ToJsonString();
    }

    /// <summary>Where episodes ended off the track or crashed: the points, and how many per section (sections that cover the whole lap).</summary>
    internal static JsonObject Exits(StepTable steps, Track track, TrackBreakdown breakdown)
    {
        var done = steps.Done;
        var status = steps.Status;
        var waypoint = steps.ClosestWaypoint;
        var exits = new List<int>();
        for (var i = 0; i < steps.RowCount; i++)
        {
            if (done[i] && status[i] is EpisodeStatus.OffTrack or EpisodeStatus.Crashed)
            {
                exits.Add(i);
            }
        }

        var sections = breakdown.Sections;
        var offTrack = new int[sections.Count];
        var crashed = new int[sections.Count];
        foreach (var i in exits)
        {
            var section = -1;
            for (var k = 0; k < sections.Count && section < 0; k++)
            {
                section = sections[k].Contains(waypoint[i]) ? k : -1;
            }

            if (section >= 0)
            {
                (status[i] == EpisodeStatus.Crashed ? crashed : offTrack)[section]++;
            }
        }

        var shown = exits.Skip(Math.Max(0, exits.Count - MaxExitPoints)).ToArray();
        return new JsonObject
        {
            ["total"] = exits.Count,
            ["x"] = Json.Numbers(steps.X, shown, digits: 3),
            ["y"] = Json.Numbers(steps.Y, shown, digits: 3),
            ["crashed"] = Flags(status, shown, EpisodeStatus.Crashed),
            ["sections"] = new JsonArray([.. sections.Select((sec, k) => (JsonNode?)new JsonObject
            {
                ["name"] = sec.Name,
                ["first"] = sec.First,
                ["last"] = sec.Last,
                ["offTrack"] = offTrack[k],
                ["crashed"] = crashed[k],
            })]),
            ["waypoints"] = track.WaypointCount,
        };
    }

    private static JsonArray Flags(ReadOnlySpan<EpisodeStatus> status, int[] rows, EpisodeStatus wanted)
    {
        var array = new JsonArray();
        foreach (var i in rows)
        {
            array.Append(status[i] == wanted);
        }

        return array;
    }

    /// <summary>Evaluation or leaderboard runs: the laps table and each lap on the track.</summary>
    public static string Evaluations(LiveModel model, IQueryCollection q)
    {
        var kind = Api.Kind(q) is var k && k == StepTableKind.Training ? StepTableKind.Evaluation : Api.Kind(q);
        var s = model.Snapshot;
        return s.Cached("runs:" + kind, () =>
        {
            var result = new JsonObject { ["kind"] = kind.ToString().ToLowerInvariant() };
            if (s.Of(kind) is not { } set)
            {
                result["laps"] = null;
                return result.ToJsonString();
            }

            var laps = EvaluationLaps.Analyze(set.Steps);
            result["laps"] = Json.Table(laps.Laps);
            result["episodes"] = Json.Table(set.Episodes);
            result["keys"] = new JsonArray([.. Enumerable.Range(0, set.Episodes.RowCount).Select(r => (JsonNode?)Api.Key(set.Episodes, r))]);
            if (s.Track is not null)
            {
                result["figures"] = Json.Figures(AnalysisCharts.Build("evaluation-laps", new ChartSource(set.Steps, set.Episodes, s.Track)));
            }
            else
            {
                result["trackError"] = s.TrackError;
            }

            return result.ToJsonString();
        });
    }

    /// <summary>Every source side by side: completion and progress per iteration, and the best laps.</summary>
    public static string Compare(IReadOnlyList<LiveModel> models)
    {
        string[] palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];
        var completion = new List<ChartSeries>();
        var progress = new List<ChartSeries>();
        var rows = new JsonArray();
        foreach (var model in models)
        {
            var s = model.Snapshot;
            var color = palette[model.Index % palette.Length];
            var row = new JsonObject { ["source"] = model.Index, ["name"] = model.Name, ["location"] = model.Location, ["loading"] = s.Loading };
            rows.Append(row);
            if (s.Training is not { } t)
            {
                continue;
            }

            var perIteration = s.Cached("progress", () => TrainingProgress.Analyze(t.Episodes)).PerIteration;
            var its = perIteration.Get<int>("iteration").ToArray().Select(i => (double)i).ToList();
            completion.Add(new ChartSeries(model.Name, color, its, [.. perIteration.Get<double>("completion_rate").ToArray().Select(v => v * 100)], SeriesStyle.LineWithMarkers));
            progress.Add(new ChartSeries(model.Name, color, its, perIteration.Get<double>("progress_mean").ToArray(), SeriesStyle.LineWithMarkers));
            var laps = t.Episodes.CompletedLaps();
            var times = laps.Time.ToArray();
            row["iterations"] = its.Count;
            row["episodes"] = t.Episodes.RowCount;
            row["completeLaps"] = laps.RowCount;
            row["completion"] = Json.Number(100.0 * laps.RowCount / Math.Max(1, t.Episodes.RowCount));
            row["bestLap"] = times.Length == 0 ? null : Json.Number(times.Min());
            row["meanLap"] = times.Length == 0 ? null : Json.Number(times.Average());
            var top = laps.Order("time").Take(5).ToList();
            var bestLaps = Json.Table(laps, top, ["iteration", "episode", "worker", "time", "progress", "reward"]);
            bestLaps["keys"] = new JsonArray([.. top.Select(r => (JsonNode?)Api.Key(laps, r))]);
            row["bestLaps"] = bestLaps;
        }

        return new JsonObject
        {
            ["sources"] = rows,
            ["completion"] = Json.Figures(new ChartPanel("Completion rate per iteration", "iteration", "percent", completion) { YRange = (0, 100) }),
            ["progress"] = Json.Figures(new ChartPanel("Mean progress per iteration", "iteration", "percent", progress) { YRange = (0, 100) }),
        }.ToJsonString();
    }
}
