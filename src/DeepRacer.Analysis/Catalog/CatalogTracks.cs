using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Catalog;

/// <summary>
/// The catalog's <c>track</c> column: a log's world name mapped to a shipped track file through the one track table
/// (<see cref="TrackCatalog"/> with <see cref="TrackNames"/>, which <c>drlog tracks</c> shows).
/// </summary>
public static class CatalogTracks
{
    /// <summary>
    /// The shipped track file (without <c>.npy</c>) for a world name, or null when none fits: the file of that name
    /// (case-insensitive), else the file of an official display name, else, for a <c>_cw</c>/<c>_ccw</c> suffix that has no
    /// file of its own (<c>Spain_track_cw</c>), the base file when it already runs that way. The other direction would
    /// need the centre line reversed, so it stays unresolved rather than wrong.
    /// </summary>
    public static string? Resolve(string? worldName)
    {
        if (string.IsNullOrWhiteSpace(worldName))
        {
            return null;
        }

        var world = worldName.Trim();
        if (TrackCatalog.Find(world) is { } track)
        {
            return track.Name;
        }

        if (TrackNames.WorldNameOf(world) is { } official && TrackCatalog.Find(official) is { } named)
        {
            return named.Name;
        }

        foreach (var (suffix, direction) in new[] { ("_ccw", TrackDirection.CounterClockwise), ("_cw", TrackDirection.Clockwise) })
        {
            if (world.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && TrackCatalog.Find(world[..^suffix.Length]) is { } baseTrack && baseTrack.Direction == direction)
            {
                return baseTrack.Name;
            }
        }

        return null;
    }
}
