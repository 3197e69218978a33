using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

namespace DrLog.Commands;

/// <summary><c>drlog episodes</c>: one row per episode (the notebooks' <c>simulation_agg</c>).</summary>
internal static class EpisodesCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var evaluation = common.Evaluation;
        var leaderboard = common.Leaderboard;
        var trace = common.Trace;
        var complete = new Option<bool>("--complete") { Description = "Only completed laps" };
        var sort = new Option<string?>("--sort") { Description = "Sort by this column (e.g. time, progress, reward)" };
        var desc = new Option<bool>("--desc") { Description = "Sort descending" };
        var top = new Option<int?>("--top") { Description = "Only the first N rows (after sorting)" };
        var track = common.Track;
        track.Description = "Track name or .npy file for --reward-function, when the logs do not say";
        var reward = new RewardOptions("--reward-function", "Fill new_reward by replaying this reward_function.py over the training steps");
        var command = new Command("episodes", "Per-episode table: steps, progress, lap time, distance, reward, speed, quintile, completion.");
        common.AddTo(command);
        command.Add(evaluation);
        command.Add(leaderboard);
        command.Add(trace);
        command.Add(complete);
        command.Add(sort);
        command.Add(desc);
        command.Add(top);
        command.Add(track);
        reward.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(evaluation) && r.GetValue(leaderboard))
            {
                r.AddError("--evaluation and --leaderboard cannot be combined.");
            }

            if (r.GetValue(reward.Function) is not null && (r.GetValue(evaluation) || r.GetValue(leaderboard)))
            {
                r.AddError("--reward-function fills new_reward, a training column; leave out --evaluation/--leaderboard.");
            }

            if (r.GetValue(top) is < 0)
            {
                r.AddError("--top must be 0 or more.");
            }
        });

        command.SetAction(async (parse, ct) =>
        {
            var kind = common.StepKind(parse);
            using var log = await common.OpenAsync(parse, ct).ConfigureAwait(false);
            Table episodes;
            if (parse.GetValue(reward.Function) is null)
            {
                // Only per-episode figures: summed while parsing, no step table.
                episodes = await CommonOptions.LoadEpisodesAsync(context, log, kind, parse.GetValue(trace), ct).ConfigureAwait(false);
            }
            else
            {
                var steps = await CommonOptions.LoadAsync(context, log, kind, parse.GetValue(trace), ct).ConfigureAwait(false);
                var resolved = await log.ResolveTrackAsync(parse.GetValue(track), steps, ct).ConfigureAwait(false);
                var newReward = (await reward.ReplayAsync(context, parse, steps, resolved.Track, ct).ConfigureAwait(false)).NewRewardPerRow();
                episodes = EpisodeTable.Aggregate(steps, newReward);
            }

            if (parse.GetValue(complete))
            {
                episodes = ((EpisodeTable)episodes).CompletedLaps();
            }

            if (parse.GetValue(sort) is { } column)
            {
                if (!episodes.HasColumn(column))
                {
                    throw new UsageException($"--sort {column}: no such column; columns are {string.Join(", ", episodes.Columns.Select(c => c.Name))}.");
                }

                episodes = episodes.Select(episodes.Order(column, parse.GetValue(desc)));
            }

            if (parse.GetValue(top) is { } n && n < episodes.RowCount)
            {
                episodes = episodes.Select(Enumerable.Range(0, n).ToArray());
            }

            await TableOutput.WriteAsync(context, episodes, parse.GetValue(common.Format), ["step_time_mean", "step_time_max", "step_time_std"]).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
