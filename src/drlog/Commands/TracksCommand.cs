using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DrLog.Commands;

/// <summary>
/// <c>drlog tracks</c>: the shipped tracks with their official names and geometry; with a SOURCE, the track of those logs
/// and how it was chosen.
/// </summary>
internal static class TracksCommand
{
    public static Command Create(CliContext context)
    {
        var source = new Argument<string?>("SOURCE")
        {
            Description = "Model folder, .tar.gz export or log file: show the track its logs ran on instead of listing all",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var common = new CommonOptions();
        var track = common.Track;
        track.Description = "Track name (file, world or official name) or .npy file, overriding the logs";
        var format = common.Format;
        var catalog = common.Catalog;
        var command = new Command("tracks", "List the shipped tracks (name, official name, file, length, width, waypoints, direction, identical layouts), or show the track of SOURCE.")
        {
            source,
            track,
            format,
            catalog,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(source) is not { } location)
            {
                if (parse.GetValue(track) is { } name)
                {
                    await TableOutput.WriteAsync(context, Describe(TrackResolver.Resolve(name, null, null)), parse.GetValue(format)).ConfigureAwait(false);
                    return ExitCodes.Ok;
                }

                // The width range only matters to the few community tracks that vary; the table stays readable without it.
                await TableOutput.WriteAsync(context, TrackCatalog.Summary(), parse.GetValue(format), ["min_width", "max_width", "closed"]).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            using var log = await DeepRacerLog.OpenAsync(CatalogSource.Resolve(location, parse.GetValue(catalog)), cancellationToken: ct).ConfigureAwait(false);
            var resolution = await log.ResolveTrackAsync(parse.GetValue(track), cancellationToken: ct).ConfigureAwait(false);
            await TableOutput.WriteAsync(context, Describe(resolution), parse.GetValue(format)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table Describe(TrackResolution r) => new(
    [
        new Column<string>("name", [r.Track.Name]),
        new Column<string?>("display_name", [r.Track.DisplayName]),
        new Column<double>("length", [r.Track.Length]),
        new Column<double>("width", [r.Track.MeanWidth]),
        new Column<int>("waypoints", [r.Track.WaypointCount]),
        new Column<string>("direction", [TrackCatalog.DirectionText(r.Track.Direction)]),
        new Column<string>("chosen_by", [r.Choice switch { TrackChoice.Given => "given", TrackChoice.WorldName => "world_name", _ => "guess" }]),
        new Column<string>("reason", [r.Reason]),
    ]);
}
