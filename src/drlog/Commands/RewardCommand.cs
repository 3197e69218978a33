using DeepRacer.Analysis.Rewards;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DrLog.Commands;

/// <summary><c>drlog reward</c>: replays a reward function over the steps the car drove and compares with the logged reward.</summary>
internal static class RewardCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var reward = new RewardOptions("--function", "The reward_function.py to replay (imported unchanged)");
        reward.Function.Required = true;
        var evaluation = common.Evaluation;
        var track = common.Track;
        var perStep = new Option<bool>("--per-step") { Description = "One row per replayed step: logged reward and new_reward" };
        var withParams = new Option<bool>("--params") { Description = "With --per-step: every scalar params key as a column" };
        var top = new Option<int>("--top") { Description = "Episodes with the largest rank change to show", DefaultValueFactory = _ => 10 };
        var command = new Command("reward", "Replay a reward function over the logged steps (params rebuilt as the simulator computes them) and compare with the logged reward.");
        common.AddTo(command);
        reward.AddTo(command);
        command.Add(evaluation);
        command.Add(track);
        command.Add(perStep);
        command.Add(withParams);
        command.Add(top);
        command.Validators.Add(r =>
        {
            if (r.GetValue(withParams) && !r.GetValue(perStep))
            {
                r.AddError("--params needs --per-step.");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var kind = common.StepKind(parse);
            using var log = await common.OpenAsync(parse, ct).ConfigureAwait(false);
            var steps = await CommonOptions.LoadAsync(context, log, kind, TraceKind.Auto, ct).ConfigureAwait(false);
            var resolved = await log.ResolveTrackAsync(parse.GetValue(track), steps, ct).ConfigureAwait(false);
            var result = await reward.ReplayAsync(context, parse, steps, resolved.Track, ct).ConfigureAwait(false);
            var comparison = RewardComparison.Analyze(result);
            var format = parse.GetValue(common.Format);
            if (parse.GetValue(perStep))
            {
                await TableOutput.WriteAsync(context, comparison.PerStep(parse.GetValue(withParams)), format).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var changes = comparison.RankChanges(parse.GetValue(top));
            if (format == OutputFormat.Json)
            {
                await WriteJsonAsync(context, comparison, resolved, changes).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await TableOutput.WriteAsync(context, Summary(comparison, resolved), format).ConfigureAwait(false);
            if (format == OutputFormat.Table)
            {
                await context.Out.WriteLineAsync("Episodes whose rank changes most (rank 1 = highest total reward):").ConfigureAwait(false);
                await TableOutput.WriteAsync(context, changes, format).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table Summary(RewardComparison c, TrackResolution track) => new(
    [
        new Column<int>("steps", [c.Steps]),
        new Column<int>("matching_steps", [c.MatchingSteps]),
        new Column<double>("agreement", [c.Agreement]),
        new Column<double>("episode_correlation", [c.EpisodeCorrelation]),
        new Column<double>("steps_per_second", [Math.Round(c.Result.StepsPerSecond)]),
        new Column<int>("errors", [c.Result.ErrorCount]),
        new Column<string>("track", [track.Track.Name]),
    ]);

    private static async Task WriteJsonAsync(CliContext context, RewardComparison comparison, TrackResolution track, Table changes)
    {
        var summary = Summary(comparison, track);
        await JsonOutput.WriteAsync(context.Out, json =>
        {
            json.WriteStartObject();
            foreach (var c in summary.Columns)
            {
                json.WritePropertyName(c.Name);
                TableOutput.WriteValue(json, c, 0);
            }

            json.WritePropertyName("rank_changes");
            json.WriteStartArray();
            for (var row = 0; row < changes.RowCount; row++)
            {
                json.WriteStartObject();
                foreach (var c in changes.Columns)
                {
                    json.WritePropertyName(c.Name);
                    TableOutput.WriteValue(json, c, row);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
