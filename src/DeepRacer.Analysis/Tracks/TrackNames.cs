namespace DeepRacer.Analysis.Tracks;

/// <summary>
/// Official display names of the shipped tracks (the reference's <c>track_meta</c>, spec 8.6): the one place that
/// maps a world name (the <c>.npy</c> file name that logs call <c>WORLD_NAME</c>) to what the console shows, and back.
/// </summary>
/// <remarks>
/// <c>London_Loop_Train</c> has no entry (its identical twin <c>Virtual_May19_Train_track</c> is "London Loop Training").
/// Display names of <c>_cw</c>/<c>_ccw</c> variants end in <c>CW</c>/<c>CCW</c>.
/// </remarks>
public static class TrackNames
{
    /// <summary>World name (file name without <c>.npy</c>) → official display name.</summary>
    public static IReadOnlyDictionary<string, string> Official { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["2022_april_open"] = "Ace Speedway",
        ["2022_april_open_ccw"] = "Ace Speedway CCW",
        ["2022_april_open_cw"] = "Ace Speedway CW",
        ["2022_april_pro"] = "Ace Super Speedway",
        ["2022_april_pro_ccw"] = "Ace Super Speedway CCW",
        ["2022_april_pro_cw"] = "Ace Super Speedway CW",
        ["2022_august_open"] = "Jochem Turnpike",
        ["2022_august_open_ccw"] = "Jochem Turnpike CCW",
        ["2022_august_open_cw"] = "Jochem Turnpike CW",
        ["2022_august_pro"] = "Jochem Highway",
        ["2022_august_pro_ccw"] = "Jochem Highway CCW",
        ["2022_august_pro_cw"] = "Jochem Highway CW",
        ["2022_july_open"] = "DBro Raceway",
        ["2022_july_pro"] = "DBro Super Raceway",
        ["2022_july_pro_ccw"] = "DBro Super Raceway CCW",
        ["2022_july_pro_cw"] = "DBro Super Raceway CW",
        ["2022_june_open"] = "BreadCentric Loop",
        ["2022_june_open_ccw"] = "BreadCentric Loop CCW",
        ["2022_june_open_cw"] = "BreadCentric Loop CW",
        ["2022_june_pro"] = "BreadCentric Speedway",
        ["2022_june_pro_ccw"] = "BreadCentric Speedway CCW",
        ["2022_june_pro_cw"] = "BreadCentric Speedway CW",
        ["2022_march_open"] = "Rogue Circuit",
        ["2022_march_open_ccw"] = "Rogue Circuit CCW",
        ["2022_march_open_cw"] = "Rogue Circuit CW",
        ["2022_march_pro"] = "Rogue Raceway",
        ["2022_march_pro_ccw"] = "Rogue Raceway CCW",
        ["2022_march_pro_cw"] = "Rogue Raceway CW",
        ["2022_may_open"] = "Ross Raceway",
        ["2022_may_open_ccw"] = "Ross Raceway CCW",
        ["2022_may_open_cw"] = "Ross Raceway CW",
        ["2022_may_pro"] = "Ross Super Speedway",
        ["2022_may_pro_ccw"] = "Ross Super Speedway CCW",
        ["2022_may_pro_cw"] = "Ross Super Speedway CW",
        ["2022_october_open"] = "Jennens Family Speedway",
        ["2022_october_open_ccw"] = "Jennens Family Speedway CCW",
        ["2022_october_open_cw"] = "Jennens Family Speedway CW",
        ["2022_october_pro"] = "Jennens Super Speedway",
        ["2022_october_pro_ccw"] = "Jennens Super Speedway CCW",
        ["2022_october_pro_cw"] = "Jennens Super Speedway CW",
        ["2022_reinvent_champ"] = "2022 re:Invent Championship",
        ["2022_reinvent_champ_ccw"] = "2022 re:Invent Championship CCW",
        ["2022_reinvent_champ_cw"] = "2022 re:Invent Championship CW",
        ["2022_september_open"] = "Roger Ring",
        ["2022_september_open_ccw"] = "Roger Ring CCW",
        ["2022_september_open_cw"] = "Roger Ring CW",
        ["2022_september_pro"] = "Roger Super Raceway",
        ["2022_september_pro_ccw"] = "Roger Super Raceway CCW",
        ["2022_september_pro_cw"] = "Roger Super Raceway CW",
        ["2022_summit_speedway"] = "RL Speedway",
        ["2022_summit_speedway_ccw"] = "RL Speedway CCW",
        ["2022_summit_speedway_cw"] = "RL Speedway CW",
        ["2022_summit_speedway_mini"] = "RL Speedway Mini",
        ["2024_reinvent_champ_ccw"] = "Forever Raceway CCW",
        ["2024_reinvent_champ_cw"] = "Forever Raceway CW",
        ["AWS_track"] = "AWS Track",
        ["Albert"] = "Yun Speedway",
        ["AmericasGeneratedInclStart"] = "Baadal Track",
        ["Aragon"] = "Stratus Loop",
        ["Austin"] = "American Hills Speedway",
        ["Belille"] = "Cumulo Turnpike",
        ["Bowtie_track"] = "Bowtie Track",
        ["Canada_Eval"] = "Toronto Turnpike Eval",
        ["Canada_Training"] = "Toronto Turnpike Training",
        ["China_eval_track"] = "Shanghai Sudu Eval",
        ["China_track"] = "Shanghai Sudu Training",
        ["FS_June2020"] = "Fumiaki Loop",
        ["H_track"] = "H track",
        ["July_2020"] = "Roger Raceway",
        ["LGSWide"] = "SOLA Speedway",
        ["Mexico_track"] = "Cumulo Carrera Training",
        ["Mexico_track_eval"] = "Cumulo Carrera Eval",
        ["Monaco"] = "European Seaside Circuit",
        ["Monaco_building"] = "European Seaside Circuit - Buildings",
        ["New_York_Eval_Track"] = "Empire City Eval",
        ["New_York_Track"] = "Empire City Training",
        ["Oval_track"] = "Oval Track",
        ["Singapore"] = "Asia Pacific Bay Loop",
        ["Singapore_building"] = "Asia Pacific Bay Loop - Buildings",
        ["Singapore_f1"] = "Asia Pacific Bay Loop F1",
        ["Spain_track"] = "Circuit de Barcelona-Catalunya",
        ["Spain_track_f1"] = "Circuit de Barcelona-Catalunya F1",
        ["Straight_track"] = "Straight track",
        ["Tokyo_Training_track"] = "Kumo Torakku Training",
        ["Vegas_track"] = "AWS Summit Raceway",
        ["Virtual_May19_Train_track"] = "London Loop Training",
        ["arctic_open"] = "Hot Rod Speedway",
        ["arctic_open_ccw"] = "Hot Rod Speedway CCW",
        ["arctic_open_cw"] = "Hot Rod Speedway CW",
        ["arctic_pro"] = "Hot Rod Super Speedway",
        ["arctic_pro_ccw"] = "Hot Rod Super Speedway CCW",
        ["arctic_pro_cw"] = "Hot Rod Super Speedway CW",
        ["caecer_gp"] = "Vivalas Speedway",
        ["caecer_loop"] = "Vivalas Loop",
        ["dubai_open"] = "Baja Turnpike",
        ["dubai_open_ccw"] = "Baja Turnpike CCW",
        ["dubai_open_cw"] = "Baja Turnpike CW",
        ["dubai_pro"] = "Baja Highway",
        ["hamption_open"] = "Kuei Raceway",
        ["hamption_pro"] = "Kuei Super Raceway",
        ["jyllandsringen_open"] = "Cosmic Loop",
        ["jyllandsringen_open_ccw"] = "Cosmic Loop CCW",
        ["jyllandsringen_open_cw"] = "Cosmic Loop CW",
        ["jyllandsringen_pro"] = "Cosmic Circuit",
        ["jyllandsringen_pro_ccw"] = "Cosmic Circuit CCW",
        ["jyllandsringen_pro_cw"] = "Cosmic Circuit CW",
        ["morgan_open"] = "Playa Raceway",
        ["morgan_pro"] = "Playa Super Raceway",
        ["penbay_open"] = "Po-Chun Speedway",
        ["penbay_open_ccw"] = "Po-Chun Speedway CCW",
        ["penbay_open_cw"] = "Po-Chun Speedway CW",
        ["penbay_pro"] = "Po-Chun Super Speedway",
        ["penbay_pro_ccw"] = "Po-Chun Super Speedway CCW",
        ["penbay_pro_cw"] = "Po-Chun Super Speedway CW",
        ["reInvent2019_track"] = "Smile Speedway",
        ["reInvent2019_track_ccw"] = "Smile Speedway CCW",
        ["reInvent2019_track_cw"] = "Smile Speedway CW",
        ["reInvent2019_wide"] = "A to Z Speedway",
        ["reInvent2019_wide_ccw"] = "A to Z Speedway CCW",
        ["reInvent2019_wide_cw"] = "A to Z Speedway CW",
        ["reInvent2019_wide_mirrored"] = "A to Z Speedway Mirrored",
        ["red_star_open"] = "Expedition Loop",
        ["red_star_pro"] = "Expedition Super Loop",
        ["red_star_pro_ccw"] = "Expedition Super Loop CCW",
        ["red_star_pro_cw"] = "Expedition Super Loop CW",
        ["reinvent_base"] = "re:Invent 2018",
        ["reinvent_base_jeremiah"] = "re:Invent 2018 (Jeremiah)",
        ["reinvent_carpet"] = "re:Invent 2018 (Carpet)",
        ["reinvent_concrete"] = "re:Invent 2018 (Concrete)",
        ["reinvent_wood"] = "re:Invent 2018 (Wood)",
        ["thunder_hill_open"] = "Lars Loop",
        ["thunder_hill_pro"] = "Lars Circuit",
        ["thunder_hill_pro_ccw"] = "Lars Circuit CCW",
        ["thunder_hill_pro_cw"] = "Lars Circuit CW",
    };

    private static readonly Lazy<Dictionary<string, string>> s_byDisplayKey = new(() =>
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (world, display) in Official)
        {
            map.TryAdd(Key(display), world);
        }

        return map;
    });

    /// <summary>The official display name of a world name, or null when it has none.</summary>
    public static string? OfficialName(string worldName) => Official.GetValueOrDefault(worldName);

    /// <summary>
    /// The world name of an official display name, forgiving case, spaces, punctuation and spelled-out directions
    /// ("Ace Speedway (clockwise)", "ace speedway cw", "re:Invent 2018"); null when none matches.
    /// </summary>
    public static string? WorldNameOf(string displayName)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        return s_byDisplayKey.Value.GetValueOrDefault(Key(displayName));
    }

    /// <summary>
    /// A comparison key: lower-case letters and digits only, with "counter-clockwise"/"anticlockwise" written <c>ccw</c>
    /// and "clockwise" <c>cw</c>, so that the console's and DRfC's spellings of one name meet.
    /// </summary>
    public static string Key(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var lower = name.ToLowerInvariant()
            .Replace("counter-clockwise", "ccw", StringComparison.Ordinal)
            .Replace("counterclockwise", "ccw", StringComparison.Ordinal)
            .Replace("counter clockwise", "ccw", StringComparison.Ordinal)
            .Replace("anti-clockwise", "ccw", StringComparison.Ordinal)
            .Replace("anticlockwise", "ccw", StringComparison.Ordinal)
            .Replace("clockwise", "cw", StringComparison.Ordinal);
        if (lower.EndsWith(".npy", StringComparison.Ordinal))
        {
            lower = lower[..^4];
        }

        return new string([.. lower.Where(char.IsAsciiLetterOrDigit)]);
    }
}
