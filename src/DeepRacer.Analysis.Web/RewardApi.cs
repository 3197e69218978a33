using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Rewards;
using DeepRacer.Analysis.Tables;
using Microsoft.AspNetCore.Http;

namespace DeepRacer.Analysis.Web;

/// <summary>The Reward page: logged (old) against replayed (new) reward, per episode, per waypoint, on the track and per step.</summary>
internal static class RewardApi
{
    private const string ReplayKey = "reward-replay";

    /// <summary>Starts the replay of the latest snapshot (once per snapshot; only its new episodes go to the function).</summary>
    public static Task<double[]>? Start(LiveModel model, BackgroundWorker worker, CancellationToken cancellationToken)
    {
        var s = model.Snapshot;
        if (model.Reward is not { } reward || s.Training is null)
        {
            return null;
        }

        // Started from the background thread: the params of a big model take a second of CPU, the thread pool serves requests.
        return (Task<double[]>)s.Cache.GetOrAdd(ReplayKey, _ => new Lazy<object>(() => worker.Enqueue(() => reward.ReplayAsync(s, cancellationToken)).Unwrap())).Value;
    }

    /// <summary>
    /// The comparison: steps replayed, how many give the logged reward, the per-episode correlation, the charts and the
    /// episodes whose rank changes most; <c>{"pending": true}</c> while the replay runs.
    /// </summary>
    public static string Summary(LiveModel model)
    {
        var (reward, s, perRow) = Replayed(model);
        if (perRow is null)
        {
            return Api.Pending;
        }

        return model.Background(s, "reward", () =>
        {
            var t = s.Training!;
            var comparison = Compare(t.Steps, s.Track!.Track, perRow, reward.Runner.IsReversed);
            var changes = comparison.RankChanges(10);
            var keys = Enumerable.Range(0, changes.RowCount).Select(r => Api.Key(changes, r)).ToList();
            return new JsonObject
            {
                ["function"] = reward.Runner.Name,
                ["steps"] = comparison.Steps,
                ["matchingSteps"] = comparison.MatchingSteps,
                ["differingSteps"] = comparison.Steps - comparison.MatchingSteps - comparison.Result.ErrorCount,
                ["agreement"] = Json.Number(comparison.Agreement),
                ["episodeCorrelation"] = Json.Number(comparison.EpisodeCorrelation),
                ["errors"] = comparison.Result.ErrorCount,
                ["firstError"] = reward.FirstError,
                ["replayedSteps"] = reward.ReplayedSteps,
                ["charts"] = new JsonArray(
                    Api.Chart("episode-totals", RewardCharts.EpisodeTotals(comparison)),
                    Api.Chart("per-waypoint", RewardCharts.PerWaypoint(comparison)),
                    Api.Chart("difference-on-track", RewardCharts.DifferenceOnTrack(comparison, 5000))),
                ["rankChanges"] = Json.Table(changes),
                ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode?)k)]),
                ["version"] = s.Version,
            }.ToJsonString();
        }) ?? Api.Pending;
    }

    /// <summary>One episode's logged and new reward per step.</summary>
    public static string Episode(LiveModel model, IQueryCollection q)
    {
        var (_, s, perRow) = Replayed(model);
        if (perRow is null)
        {
            return Api.Pending;
        }

        var t = s.Training!;
        var key = q["key"].ToString();
        if (!Api.KeyIndex(s, StepTableKind.Training).TryGetValue(key, out var row))
        {
            throw new NotFoundException($"No episode '{key}' in {model.Name}.");
        }

        var rows = t.Rows.Of(t.Episodes, row);
        var steps = new JsonArray();
        foreach (var r in rows)
        {
            steps.Append(JsonValue.Create(t.Steps.Steps[r]));
        }

        return new JsonObject
        {
            ["key"] = key,
            ["episode"] = Json.Table(t.Episodes, [row]),
            ["step"] = steps,
            ["reward"] = Json.Numbers(t.Steps.Reward, rows),
            ["newReward"] = Json.Numbers(perRow, rows),
        }.ToJsonString();
    }

    /// <summary>The replay of the latest snapshot: its new reward per row, or null while it runs; a failure is the page's error.</summary>
    private static (RewardFollower Reward, ModelSnapshot Snapshot, double[]? PerRow) Replayed(LiveModel model)
    {
        var reward = model.Reward ?? throw new NotFoundException("This dashboard replays no reward function.");
        var s = model.Snapshot;
        if (s.Training is null)
        {
            throw new DeepRacerLogException($"{model.Name} has no training steps to replay a reward function over.");
        }

        if (s.Track is null)
        {
            throw new DeepRacerLogException(s.TrackError ?? $"The track of {model.Name} is not known, and the replay needs it.");
        }

        var replay = s.Cache.TryGetValue(ReplayKey, out var started) ? (Task<double[]>)started.Value : null;
        if (replay is null || !replay.IsCompleted || replay.IsCanceled)
        {
            return (reward, s, null);
        }

        return replay.IsFaulted
            ? throw new DeepRacerLogException(reward.Runner.Describe(replay.Exception.InnerException ?? replay.Exception))
            : (reward, s, replay.Result);
    }

    /// <summary>
    /// The comparison of the whole table from the new reward of every row, however many replays it took. The core
    /// compares one replay's result; replaying the known values as a C# function builds that result (the params are
    /// computed again, a second of CPU on a big model, on the background thread).
    /// </summary>
    private static RewardComparison Compare(StepTable steps, Tracks.Track track, double[] perRow, bool isReversed)
    {
        var status = steps.Status;
        var scored = new List<int>(steps.RowCount);
        for (var r = 0; r < steps.RowCount; r++)
        {
            if (RewardParamsTable.IsRewardCall(status[r]))
            {
                scored.Add(r);
            }
        }

        var next = 0;
        var result = RewardReplay.Run(steps, track, _ => perRow[scored[next++]], new RewardReplayOptions { IsReversed = isReversed, SkipErrors = true });
        if (!result.Params.SourceRows.AsSpan().SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(scored)))
        {
            throw new InvalidOperationException("The replayed rows are not the rows the simulator scores.");
        }

        return RewardComparison.Analyze(result);
    }
}
