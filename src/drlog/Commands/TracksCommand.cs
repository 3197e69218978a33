using DeepRacer.Analysis.Tracks;
using DrLog.Output;

namespace DrLog.Commands;

/// <summary><c>drlog tracks</c>: the shipped tracks with their official names and geometry.</summary>
internal static class TracksCommand
{
    public static Command Create(CliContext context)
    {
        var format = new Option<OutputFormat>("--format", "-f") { Description = "Output format", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("tracks", "List the shipped tracks: name, official name, file, length, width, waypoints, direction, aliases (identical layouts).")
        {
            format,
        };
        command.SetAction(async (parse, ct) =>
        {
            // The width range only matters to the few community tracks that vary; the table stays readable without it.
            await TableOutput.WriteAsync(context, TrackCatalog.Summary(), parse.GetValue(format), ["min_width", "max_width", "closed"]).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
