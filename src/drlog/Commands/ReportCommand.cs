using DeepRacer.Analysis.Reports;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DrLog.Commands;

/// <summary><c>drlog report</c>: the notebooks' analysis as one offline HTML page.</summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var evaluation = new Option<bool>("--evaluation") { Description = "Analyse the evaluation runs instead of the training" };
        var output = new Option<string>("--output", "-o") { Description = "HTML file to write", DefaultValueFactory = _ => "report.html" };
        var track = new Option<string?>("--track") { Description = "Track name or .npy file, when the logs do not say (see 'drlog tracks')" };
        var command = new Command("report", "Write the whole analysis (model, stability, progress, laps, tables) as one self-contained HTML page that opens offline.");
        common.AddTo(command, withFormat: false);
        command.Add(evaluation);
        command.Add(output);
        command.Add(track);
        command.SetAction(async (parse, ct) =>
        {
            var kind = parse.GetValue(evaluation) ? StepTableKind.Evaluation : StepTableKind.Training;
            using var log = await common.OpenAsync(parse, ct).ConfigureAwait(false);
            var info = await log.LoadInfoAsync(ct).ConfigureAwait(false);
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

            var report = ModelReport.Build(log, info, steps, resolved, trackError);
            var path = parse.GetValue(output)!;
            report.Save(path);
            await context.Out.WriteLineAsync($"Wrote {Path.GetFullPath(path)} ({report.ChartCount} charts, {report.TableCount} tables).").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
