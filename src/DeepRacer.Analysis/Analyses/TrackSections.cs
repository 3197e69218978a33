using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Analyses;

/// <summary>A stretch of track by closest-waypoint index, both ends included.</summary>
/// <param name="Name">Label, e.g. "hairpin" or "section 3".</param>
/// <param name="First">First waypoint.</param>
/// <param name="Last">Last waypoint (included).</param>
public sealed record TrackSection(string Name, int First, int Last)
{
    /// <summary>True when the waypoint lies in the section.</summary>
    public bool Contains(int waypoint) => waypoint >= First && waypoint <= Last;
}

/// <summary>
/// A track split into named sections for the action breakdown (spec 7.4): the reference's shipped breakdowns, or even
/// sections of equal centre-line length for any track.
/// </summary>
/// <param name="Name">Breakdown name.</param>
/// <param name="VerticalLines">Waypoints the reference labels on the track picture.</param>
/// <param name="Sections">The sections.</param>
public sealed record TrackBreakdown(string Name, int[] VerticalLines, IReadOnlyList<TrackSection> Sections)
{
    private static TrackBreakdown FromSegments(string name, int[] lines, (int X, string Label, int Lower, int Upper)[] segments) =>
        new(name, lines, [.. segments.Select(s => new TrackSection(s.Label, s.X - s.Lower, s.X + s.Upper))]);

    /// <summary>The reference's <c>reinvent2018</c> breakdown (for <c>reinvent_base</c>): each segment spans its error box.</summary>
    public static TrackBreakdown Reinvent2018 { get; } = FromSegments(
        "reinvent2018",
        [10, 25, 32, 33, 40, 45, 50, 53, 61, 67],
        [(15, "hairpin", 5, 10), (32, "right", 1, 1), (42, "left", 2, 3), (51, "left", 1, 2), (63, "left", 2, 4)]);

    /// <summary>The reference's <c>london_loop</c> breakdown (for <c>Virtual_May19_Train_track</c>).</summary>
    public static TrackBreakdown LondonLoop { get; } = FromSegments(
        "london_loop",
        [0, 15, 17, 30, 33, 45, 75, 105, 120, 132, 150, 180, 190, 210],
        [(0, "long sharp left", 0, 15), (17, "mild right", 0, 13), (33, "tight left", 0, 12), (75, "mild chicane", 0, 30),
         (120, "short sharp left", 0, 12), (150, "left", 0, 30), (190, "right", 0, 20)]);

    /// <summary>
    /// The reference's breakdown for a track's layout: <see cref="Reinvent2018"/> for the <c>reinvent_*</c> files,
    /// <see cref="LondonLoop"/> for London Loop; null for other tracks (use <see cref="Even"/>).
    /// </summary>
    public static TrackBreakdown? Shipped(Track track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return TrackCatalog.Canonical(track.Name) switch
        {
            "reinvent_base" => Reinvent2018,
            "Virtual_May19_Train_track" => LondonLoop,
            _ => null,
        };
    }

    /// <summary>
    /// <paramref name="count"/> sections of equal centre-line length covering every waypoint: waypoint i goes to
    /// section floor(distance_i / (length / count)) (the closing waypoint to the last section).
    /// </summary>
    public static TrackBreakdown Even(Track track, int count = 10)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var distance = track.CumulativeDistance;
        var part = track.Length / count;
        var first = new int[count];
        var last = new int[count];
        Array.Fill(first, -1);
        for (var i = 0; i < track.WaypointCount; i++)
        {
            var k = Math.Min(count - 1, (int)(distance[i] / part));
            if (first[k] < 0)
            {
                first[k] = i;
            }

            last[k] = i;
        }

        var sections = Enumerable.Range(0, count).Where(k => first[k] >= 0)
            .Select(k => new TrackSection($"section {k + 1}", first[k], last[k])).ToList();
        return new TrackBreakdown($"{track.Name} in {count}", [.. sections.Select(s => s.First)], sections);
    }
}
