using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tracks;

namespace DrLog.Commands;

/// <summary><c>drlog plot KIND SOURCE -o file.png</c>: one chart of the report as a PNG or SVG file.</summary>
internal static class PlotCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var kind = new Argument<string>("KIND") { Description = "Chart: " + string.Join(", ", AnalysisCharts.Kinds.Keys) };
        kind.AcceptOnlyFromAmong([.. AnalysisCharts.Kinds.Keys]);
        var output = new Option<string>("--output", "-o") { Description = "File to write (.png or .svg)", Required = true };
        var evaluation = common.Evaluation;
        var track = common.Track;
        var command = new Command("plot", "Draw one chart of the analysis as PNG or SVG (the same data the report shows).");
        command.Add(kind);
        common.AddTo(command, withFormat: false);
        command.Add(output);
        command.Add(evaluation);
        command.Add(track);
        command.Validators.Add(r =>
        {
            var path = r.GetValue(output);
            if (path is not null && !path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
            {
                r.AddError($"--output {path}: the file must end in .png or .svg.");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var path = Path.GetFullPath(parse.GetValue(output)!);

            // The renderer names files {name}.png / {name}.svg: keep the user's name, with the extension it expects.
            path = Path.ChangeExtension(path, Path.GetExtension(path).ToLowerInvariant());
            var folder = Path.GetDirectoryName(path)!;
            if (!Directory.Exists(folder))
            {
                throw new DeepRacerLogException($"{folder} does not exist: create it or choose another -o path.");
            }

            var stepsKind = common.StepKind(parse);
            using var log = await common.OpenAsync(parse, ct).ConfigureAwait(false);
            var steps = await CommonOptions.LoadAsync(context, log, stepsKind, TraceKind.Auto, ct).ConfigureAwait(false);
            var chartKind = parse.GetValue(kind)!;
            var needsTrack = AnalysisCharts.NeedsTrack(chartKind);
            TrackResolution? resolved = null;
            if (needsTrack || parse.GetValue(track) is not null)
            {
                try
                {
                    resolved = await log.ResolveTrackAsync(parse.GetValue(track), steps, ct).ConfigureAwait(false);
                }
                catch (DeepRacerLogException e) when (parse.GetValue(track) is null)
                {
                    throw new DeepRacerLogException($"{chartKind} needs the track: {ErrorHints.Message(e)} Pass --track NAME (see 'drlog tracks').", e);
                }
            }

            var chart = AnalysisCharts.Build(chartKind, new ChartSource(steps, EpisodeTable.Aggregate(steps), resolved));
            var written = ChartRenderer.Save(
                chart with { Name = Path.GetFileNameWithoutExtension(path) },
                folder,
                png: path.EndsWith(".png", StringComparison.OrdinalIgnoreCase),
                svg: path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase));
            await context.Out.WriteLineAsync($"Wrote {written[0]} ({chart.Width}x{chart.Height}).").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
