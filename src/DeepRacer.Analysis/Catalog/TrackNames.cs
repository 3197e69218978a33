namespace DeepRacer.Analysis.Catalog;

/// <summary>
/// Maps the world names that logs give (console <c>WORLD_NAME</c>, DROA YAML world, with or without a
/// <c>_cw</c>/<c>_ccw</c> suffix) to the track files shipped in <c>tracks/*.npy</c> (spec 8.5, 8.6).
/// One table, so the catalog's <c>track</c> column and <c>drlog tracks</c> agree.
/// </summary>
public static class TrackNames
{
    /// <summary>The shipped track files, without <c>.npy</c>.</summary>
    public static IReadOnlyList<string> Files { get; } =
    [
        "2022_april_open", "2022_april_open_ccw", "2022_april_open_cw", "2022_april_pro", "2022_april_pro_ccw", "2022_april_pro_cw", 
        "2022_august_open", "2022_august_open_ccw", "2022_august_open_cw", "2022_august_pro", "2022_august_pro_ccw", "2022_august_pro_cw", 
        "2022_july_open", "2022_july_pro", "2022_july_pro_ccw", "2022_july_pro_cw", "2022_june_open", "2022_june_open_ccw", 
        "2022_june_open_cw", "2022_june_pro", "2022_june_pro_ccw", "2022_june_pro_cw", "2022_march_open", "2022_march_open_ccw", 
        "2022_march_open_cw", "2022_march_pro", "2022_march_pro_ccw", "2022_march_pro_cw", "2022_may_open", "2022_may_open_ccw", 
        "2022_may_open_cw", "2022_may_pro", "2022_may_pro_ccw", "2022_may_pro_cw", "2022_october_open", "2022_october_open_ccw", 
        "2022_october_open_cw", "2022_october_pro", "2022_october_pro_ccw", "2022_october_pro_cw", "2022_reinvent_champ", "2022_reinvent_champ_ccw", 
        "2022_reinvent_champ_cw", "2022_september_open", "2022_september_open_ccw", "2022_september_open_cw", "2022_september_pro", "2022_september_pro_ccw", 
        "2022_september_pro_cw", "2022_summit_speedway", "2022_summit_speedway_ccw", "2022_summit_speedway_cw", "2022_summit_speedway_mini", "2024_reinvent_champ_ccw", 
        "2024_reinvent_champ_cw", "AWS_track", "Albert", "AmericasGeneratedInclStart", "Aragon", "Austin", 
        "Belille", "Bowtie_track", "Canada_Eval", "Canada_Training", "China_eval_track", "China_track", 
        "FS_June2020", "H_track", "July_2020", "LGSWide", "London_Loop_Train", "Mexico_track", 
        "Mexico_track_eval", "Monaco", "Monaco_building", "New_York_Eval_Track", "New_York_Track", "Oval_track", 
        "Singapore", "Singapore_building", "Singapore_f1", "Spain_track", "Spain_track_f1", "Straight_track", 
        "Tokyo_Training_track", "Vegas_track", "Virtual_May19_Train_track", "arctic_open", "arctic_open_ccw", "arctic_open_cw", 
        "arctic_pro", "arctic_pro_ccw", "arctic_pro_cw", "caecer_gp", "caecer_loop", "dubai_open", 
        "dubai_open_ccw", "dubai_open_cw", "dubai_pro", "hamption_open", "hamption_pro", "jyllandsringen_open", 
        "jyllandsringen_open_ccw", "jyllandsringen_open_cw", "jyllandsringen_pro", "jyllandsringen_pro_ccw", "jyllandsringen_pro_cw", "morgan_open", 
        "morgan_pro", "penbay_open", "penbay_open_ccw", "penbay_open_cw", "penbay_pro", "penbay_pro_ccw", 
        "penbay_pro_cw", "reInvent2019_track", "reInvent2019_track_ccw", "reInvent2019_track_cw", "reInvent2019_wide", "reInvent2019_wide_ccw", 
        "reInvent2019_wide_cw", "reInvent2019_wide_mirrored", "red_star_open", "red_star_pro", "red_star_pro_ccw", "red_star_pro_cw", 
        "reinvent_base", "reinvent_base_jeremiah", "reinvent_carpet", "reinvent_concrete", "reinvent_wood", "thunder_hill_open", 
        "thunder_hill_pro", "thunder_hill_pro_ccw", "thunder_hill_pro_cw", 
    ];

    // Tracks whose base file runs clockwise (spec 8.6); every other closed base file runs counter-clockwise.
    private static readonly HashSet<string> s_clockwiseBase = new(StringComparer.Ordinal)
    {
        "Spain_track", "Spain_track_f1", "Albert", "Aragon", "Belille", "Monaco", "Monaco_building", "FS_June2020", "July_2020",
    };

    /// <summary>Every world name the catalog resolves, with the track file it maps to.</summary>
    /// <remarks>
    /// Besides each file's own name: a direction suffix the files do not have (<c>Spain_track_cw</c>,
    /// <c>2022_july_open_ccw</c>) maps to the base file when the base already runs that way; the other direction would
    /// need the reversed centre line, so it stays unresolved. <c>London_Loop_Train</c> is the same track as
    /// <c>Virtual_May19_Train_track</c>, the name the console uses.
    /// </remarks>
    public static IReadOnlyDictionary<string, string> WorldToFile { get; } = Build();

    /// <summary>The track file for a world name (case-insensitive), or null when no shipped file fits.</summary>
    public static string? Resolve(string? worldName)
    {
        if (string.IsNullOrWhiteSpace(worldName))
        {
            return null;
        }

        var world = worldName.Trim();
        if (world.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            world = world[..^4];
        }

        return WorldToFile.TryGetValue(world, out var file) ? file : null;
    }

    private static Dictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Files)
        {
            map[file] = file;
        }

        foreach (var file in Files.Where(f => !f.EndsWith("_cw", StringComparison.Ordinal) && !f.EndsWith("_ccw", StringComparison.Ordinal)))
        {
            var suffix = s_clockwiseBase.Contains(file) ? "_cw" : "_ccw";
            map.TryAdd(file + suffix, file);
        }

        map.TryAdd("Virtual_May19_Train_track_ccw", "Virtual_May19_Train_track");
        return map;
    }
}
