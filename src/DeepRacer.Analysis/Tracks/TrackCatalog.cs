using System.Reflection;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tracks;

/// <summary>The track files shipped inside the library (every <c>.npy</c> of the repository's <c>tracks/</c> folder).</summary>
public static class TrackCatalog
{
    private const string Prefix = "tracks/";

    private static readonly Lazy<Catalog> s_catalog = new(Load);

    /// <summary>Every shipped track, sorted by name (ordinal, as the reference lists files).</summary>
    public static IReadOnlyList<Track> All => s_catalog.Value.Tracks;

    /// <summary>The shipped track of this exact file name (case-insensitive, with or without <c>.npy</c>), or null.</summary>
    public static Track? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^4];
        }

        return s_catalog.Value.ByName.GetValueOrDefault(name);
    }

    /// <summary>
    /// The shipped tracks whose files hold exactly the same array as this one (e.g. the five <c>reinvent_*</c> files),
    /// itself included, canonical first; a lone name when it has no twin.
    /// </summary>
    public static IReadOnlyList<string> SameLayout(string name)
    {
        var track = Find(name);
        return track is null ? [] : s_catalog.Value.Layouts[track.Name];
    }

    /// <summary>
    /// The name that stands for a layout shared by identical files: one with an official name first, then the
    /// shortest name (so <c>reinvent_base</c> for the <c>reinvent_*</c> files, <c>Virtual_May19_Train_track</c> for London Loop).
    /// </summary>
    public static string Canonical(string name) => SameLayout(name) is [var first, ..] ? first : name;

    /// <summary>
    /// One row per shipped track: <c>name, display_name, file, length, width, min_width, max_width, waypoints, direction, closed, aliases</c>
    /// (length and widths in metres, direction <c>ccw</c>/<c>cw</c>/<c>n/a</c>, aliases = other files with the same layout).
    /// </summary>
    public static Table Summary()
    {
        var all = All;
        return new Table(
        [
            new Column<string>("name", [.. all.Select(t => t.Name)]),
            new Column<string?>("display_name", [.. all.Select(t => t.DisplayName)]),
            new Column<string>("file", [.. all.Select(t => t.Name + ".npy")]),
            new Column<double>("length", [.. all.Select(t => t.Length)]),
            new Column<double>("width", [.. all.Select(t => t.MeanWidth)]),
            new Column<double>("min_width", [.. all.Select(t => t.MinWidth)]),
            new Column<double>("max_width", [.. all.Select(t => t.MaxWidth)]),
            new Column<int>("waypoints", [.. all.Select(t => t.WaypointCount)]),
            new Column<string>("direction", [.. all.Select(t => DirectionText(t.Direction))]),
            new Column<bool>("closed", [.. all.Select(t => t.IsClosed)]),
            new Column<string>("aliases", [.. all.Select(t => string.Join(" ", SameLayout(t.Name).Where(n => n != t.Name)))]),
        ]);
    }

    /// <summary><c>ccw</c>, <c>cw</c> or <c>n/a</c>, as the world-name suffixes spell directions.</summary>
    public static string DirectionText(TrackDirection direction) => direction switch
    {
        TrackDirection.CounterClockwise => "ccw",
        TrackDirection.Clockwise => "cw",
        _ => "n/a",
    };

    private sealed record Catalog(IReadOnlyList<Track> Tracks, Dictionary<string, Track> ByName, Dictionary<string, IReadOnlyList<string>> Layouts);

    private static Catalog Load()
    {
        var assembly = typeof(TrackCatalog).Assembly;
        var tracks = new List<Track>();
        var byContent = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(Prefix, StringComparison.Ordinal) && r.EndsWith(".npy", StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..^4];
            var bytes = ReadResource(assembly, resource);
            tracks.Add(Track.FromArray(name, NpyReader.Read(bytes, resource)));

            // Identical data means one layout under several names (textures differ in the simulator, not the geometry).
            var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));
            if (!byContent.TryGetValue(hash, out var names))
            {
                byContent[hash] = names = [];
            }

            names.Add(name);
        }

        tracks.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var layouts = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var names in byContent.Values)
        {
            IReadOnlyList<string> ordered = [.. names
                .OrderBy(n => TrackNames.OfficialName(n) is null)
                .ThenBy(n => n.Length)
                .ThenBy(n => n, StringComparer.Ordinal)];
            foreach (var n in names)
            {
                layouts[n] = ordered;
            }
        }

        return new Catalog(tracks, tracks.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase), layouts);
    }

    private static byte[] ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded track {resource} is missing from the library.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
