using DeepRacer.Analysis.Metrics;
using DeepRacer.Analysis.Reports;
using DeepRacer.Analysis.Rewards;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DrLog.Commands;

/// <summary><c>drlog report</c>: the notebooks' analysis as one offline HTML page.</summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var evaluation = common.Evaluation;
        var output = new Option<string>("--output", "-o") { Description = "HTML file to write", DefaultValueFactory = _ => "report.html" };
        var track = common.Track;
        var reward = new RewardOptions("--reward-function", "Replay this reward_function.py: fills new_reward and adds an \"old vs new reward\" section (training only)");
        var command = new Command("report", "Write the whole analysis (model, stability, progress, laps, tables) as one self-contained HTML page that opens offline.");
        common.AddTo(command, withFormat: false);
        command.Add(evaluation);
        command.Add(output);
        command.Add(track);
        reward.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(reward.Function) is not null && r.GetValue(evaluation))
            {
                r.AddError("--reward-function replays the training; leave out --evaluation.");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var kind = common.StepKind(parse);
            using var log = await common.OpenAsync(parse, ct).ConfigureAwait(false);
            var info = await log.LoadInfoAsync(ct).ConfigureAwait(false);
            var path = parse.GetValue(output)!;
            var function = parse.GetValue(reward.Function);
            if (kind == StepTableKind.Training && function is null
                && await CommonOptions.LoadStreamedReportAsync(context, log, info, parse.GetValue(track), ct).ConfigureAwait(false) is { } streamed)
            {
                // Read as streams: the same page without a table of every step.
                return await SaveAsync(context, streamed.Report, path).ConfigureAwait(false);
            }

            var steps = await CommonOptions.LoadAsync(context, log, kind, TraceKind.Auto, ct).ConfigureAwait(false);
            TrackResolution? resolved = null;
            string? trackError = null;
            try
            {
                resolved = await log.ResolveTrackAsync(parse.GetValue(track), steps, ct).ConfigureAwait(false);
            }
            catch (DeepRacerLogException e) when (parse.GetValue(track) is null)
            {
                // A report without track drawings is still a report; it says why, in drlog's terms.
                trackError = ErrorHints.Message(e);
            }

            var race = kind == StepTableKind.Training ? null : await RaceResult.LoadAsync(log.Source, log.Layout, 1, ct).ConfigureAwait(false);
            RewardComparison? comparison = null;
            if (function is not null)
            {
                // Without a track there is nothing to replay on: resolving again lets that error through.
                var replayTrack = resolved?.Track ?? (await log.ResolveTrackAsync(parse.GetValue(track), steps, ct).ConfigureAwait(false)).Track;
                comparison = RewardComparison.Analyze(await reward.ReplayAsync(context, parse, steps, replayTrack, ct).ConfigureAwait(false));
            }

            var report = ModelReport.Build(log, info, steps, resolved, trackError, race, comparison, Path.GetFileName(function) ?? "reward_function");
            return await SaveAsync(context, report, path).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> SaveAsync(CliContext context, HtmlReport report, string path)
    {
        report.Save(path);
        await context.Out.WriteLineAsync($"Wrote {Path.GetFullPath(path)} ({report.ChartCount} charts, {report.TableCount} tables).").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
