using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tracks;

/// <summary>How a track was chosen.</summary>
public enum TrackChoice
{
    /// <summary>The user named it (a name or an <c>.npy</c> file).</summary>
    Given,
    /// <summary>The logs named it (<c>WORLD_NAME</c> and its relatives, spec 8.5).</summary>
    WorldName,
    /// <summary>Identified from <c>track_len</c> and the logged positions.</summary>
    Guessed,
}

/// <summary>The track chosen for a log, and why.</summary>
/// <param name="Track">The track.</param>
/// <param name="Choice">How it was chosen.</param>
/// <param name="Reason">One line for people, e.g. "track reinvent_base (re:Invent 2018) identified from track_len 17.709 m and 500 positions".</param>
public sealed record TrackResolution(Track Track, TrackChoice Choice, string Reason);

/// <summary>
/// Finds the track of a log: a name or file the user gives, else the log's world name, else a guess from
/// <c>track_len</c> and the positions (spec 8.5).
/// </summary>
public static class TrackResolver
{
    /// <summary>Distance within which a logged <c>track_len</c> matches a centre-line length, metres (spec 8.5).</summary>
    public const double LengthTolerance = 0.01;

    /// <summary>
    /// Chooses the track: <paramref name="nameOrFile"/> when given, else <paramref name="worldName"/>, else a guess from <paramref name="steps"/>
    /// (also when the world name is no shipped track: the reason then says so).
    /// </summary>
    /// <exception cref="DeepRacerLogException">No track is known; the message lists near names.</exception>
    public static TrackResolution Resolve(string? nameOrFile, string? worldName, StepTable? steps) =>
        ResolveSampled(nameOrFile, worldName, steps is null ? null : () => TrackSample.Of(steps));

    /// <summary><see cref="Resolve(string?, string?, StepTable?)"/> with the steps' sample taken only when a guess needs it (a streamed load reads it from the files).</summary>
    internal static TrackResolution ResolveSampled(string? nameOrFile, string? worldName, Func<TrackSample>? sample)
    {
        var taken = sample is null ? null : new Lazy<TrackSample>(sample);
        if (!string.IsNullOrWhiteSpace(nameOrFile))
        {
            var track = FromName(nameOrFile);
            return new TrackResolution(track, TrackChoice.Given, $"track {track} as given");
        }

        if (!string.IsNullOrWhiteSpace(worldName))
        {
            if (TryFromName(worldName) is { } named)
            {
                return new TrackResolution(named, TrackChoice.WorldName, $"track {named} named by the logs ('{worldName}')");
            }

            // A world newer than the shipped files may still be a known layout under another name; the positions can tell.
            if (taken is not null && Guess(taken.Value) is { } instead)
            {
                return instead with { Reason = $"the logs name world '{worldName}', which is no shipped track; {instead.Reason}" };
            }

            throw new DeepRacerLogException(InputProblem.TrackUnknown, $"The logs name world '{worldName}', which is no shipped track{NearText(worldName)}", GiveTrack)
            {
                Subject = worldName,
                Candidates = NearNames(worldName),
            };
        }

        if (taken is not null && Guess(taken.Value) is { } guess)
        {
            return guess;
        }

        var length = taken?.Value.Length;
        throw new DeepRacerLogException(
            InputProblem.TrackUnknown,
            length is { } l
                ? $"No track known: the logs name no world and no shipped track matches track_len {l.ToString("0.###", CultureInfo.InvariantCulture)} m and the positions (nearest lengths: {string.Join(", ", NearestLengths(l))})"
                : "No track known: the logs name no world and have no positions to match",
            GiveTrack)
        {
            Candidates = length is { } near ? NearestLengths(near) : [],
        };
    }

    /// <summary>
    /// The track of a name: an existing <c>.npy</c> file path, a shipped file name (case-insensitive, with or without
    /// <c>.npy</c>), an official display name ("Smile Speedway CW"), or a <c>_cw</c>/<c>_ccw</c> variant of a shipped
    /// track that has no file of its own (then the base track, reversed when it runs the other way).
    /// </summary>
    /// <exception cref="DeepRacerLogException">Nothing matches; the message lists near names.</exception>
    public static Track FromName(string nameOrFile)
    {
        ArgumentNullException.ThrowIfNull(nameOrFile);
        if (nameOrFile.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) && File.Exists(nameOrFile))
        {
            return Track.FromArray(Path.GetFileNameWithoutExtension(nameOrFile), NpyReader.ReadFile(nameOrFile));
        }

        if (TryFromName(nameOrFile) is { } track)
        {
            return track;
        }

        var looksLikeFile = nameOrFile.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) || nameOrFile.Contains('/', StringComparison.Ordinal) || nameOrFile.Contains('\\', StringComparison.Ordinal);
        var near = NearNames(looksLikeFile ? Path.GetFileNameWithoutExtension(nameOrFile) : nameOrFile);
        throw looksLikeFile
            ? new DeepRacerLogException(InputProblem.TrackFileMissing, $"Track file {nameOrFile} does not exist{NearText(Path.GetFileNameWithoutExtension(nameOrFile))}", "give an existing .npy file or a shipped name (TrackCatalog.All)")
            {
                Subject = nameOrFile,
                Candidates = near,
            }
            : new DeepRacerLogException(InputProblem.TrackNameUnknown, $"No track named '{nameOrFile}'{NearText(nameOrFile)}", "give a shipped name (TrackCatalog.All) or an existing .npy file")
            {
                Subject = nameOrFile,
                Candidates = near,
            };
    }

    /// <summary>Whether <see cref="Resolve(string?, string?, StepTable?)"/> would look at the steps (no name given, and the world is no shipped track).</summary>
    internal static bool NeedsSteps(string? nameOrFile, string? worldName) =>
        string.IsNullOrWhiteSpace(nameOrFile) && (string.IsNullOrWhiteSpace(worldName) || TryFromName(worldName) is null);

    private static Track? TryFromName(string name)
    {
        name = name.Trim();
        if (TrackCatalog.Find(name) is { } exact)
        {
            return exact;
        }

        if (TrackNames.WorldNameOf(name) is { } world && TrackCatalog.Find(world) is { } byDisplay)
        {
            return byDisplay;
        }

        var key = TrackNames.Key(name);
        if (TrackCatalog.All.FirstOrDefault(t => TrackNames.Key(t.Name) == key) is { } byKey)
        {
            return byKey;
        }

        // A direction variant without a file of its own: the same layout, driven as asked.
        foreach (var (suffix, direction) in new[] { ("ccw", TrackDirection.CounterClockwise), ("cw", TrackDirection.Clockwise) })
        {
            if (key.EndsWith(suffix, StringComparison.Ordinal) && key.Length > suffix.Length)
            {
                var baseKey = key[..^suffix.Length];
                var baseTrack = TrackCatalog.All.FirstOrDefault(t => TrackNames.Key(t.Name) == baseKey)
                    ?? (TrackNames.Official.FirstOrDefault(p => TrackNames.Key(p.Value) == baseKey).Key is { } w ? TrackCatalog.Find(w) : null);
                if (baseTrack is not null)
                {
                    return baseTrack.Direction == direction || baseTrack.Direction == TrackDirection.None
                        ? baseTrack
                        : baseTrack.Reversed(baseTrack.Name + "_" + suffix);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Identifies the track from the steps alone: shipped layouts whose length matches the most common <c>track_len</c>
    /// (or all layouts when none does), scored by how many sampled positions lie on the road and how well the logged
    /// <c>closest_waypoint</c> agrees with the nearest waypoint (which tells a base file from its re-sampled
    /// <c>_cw</c>/<c>_ccw</c> variants). Null when no layout has at least 80 % of the positions on the road.
    /// </summary>
    public static TrackResolution? Guess(StepTable steps, int samples = 500)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return Guess(TrackSample.Of(steps, samples));
    }

    private static TrackResolution? Guess(TrackSample sample)
    {
        var rows = sample.Points;
        if (rows.Count == 0)
        {
            return null;
        }

        var length = sample.Length;
        var layouts = TrackCatalog.All.Where(t => TrackCatalog.Canonical(t.Name) == t.Name).ToList();
        var byLength = length is { } l ? layouts.Where(t => Math.Abs(t.Length - l) <= LengthTolerance).ToList() : [];
        var candidates = byLength.Count > 0 ? byLength : layouts;

        Track? best = null;
        double bestOnRoad = 0, bestAgree = -1, bestDistance = double.MaxValue;
        foreach (var track in candidates)
        {
            var (onRoad, agree, distance) = Score(track, rows);
            if (onRoad < 0.8)
            {
                continue;
            }

            if (agree > bestAgree + 1e-9 || (Math.Abs(agree - bestAgree) <= 1e-9 && distance < bestDistance))
            {
                (best, bestOnRoad, bestAgree, bestDistance) = (track, onRoad, agree, distance);
            }
        }

        if (best is null)
        {
            return null;
        }

        var twins = TrackCatalog.SameLayout(best.Name).Skip(1).ToList();
        var lengthText = byLength.Count > 0 ? $"track_len {length!.Value.ToString("0.###", CultureInfo.InvariantCulture)} m and " : "";
        var reason = $"track {best} identified from {lengthText}{rows.Count} positions " +
            $"({(bestOnRoad * 100).ToString("0", CultureInfo.InvariantCulture)} % on the road, waypoints agree {(bestAgree * 100).ToString("0", CultureInfo.InvariantCulture)} %)" +
            (twins.Count > 0 ? $"; identical layouts: {string.Join(", ", twins)}" : "");
        return new TrackResolution(best, TrackChoice.Guessed, reason);
    }

    private const string GiveTrack = "give the track by name or .npy file (TrackCatalog.All lists the shipped ones)";

    private static List<string> NearestLengths(double length) => [.. TrackCatalog.All
        .Where(t => TrackCatalog.Canonical(t.Name) == t.Name)
        .OrderBy(t => Math.Abs(t.Length - length))
        .ThenBy(t => t.Name, StringComparer.Ordinal)
        .Take(3)
        .Select(t => $"{t.Name} {t.Length.ToString("0.###", CultureInfo.InvariantCulture)} m")];

    /// <summary>The shipped names nearest to a misspelt name (by edit distance of <see cref="TrackNames.Key"/>), best first.</summary>
    public static IReadOnlyList<string> NearNames(string name, int max = 5)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = TrackNames.Key(name);
        if (key.Length == 0)
        {
            return [];
        }

        return [.. TrackCatalog.All
            .Select(t =>
            {
                var d = Math.Min(EditDistance(key, TrackNames.Key(t.Name)), t.DisplayName is { } dn ? EditDistance(key, TrackNames.Key(dn)) : int.MaxValue);
                var contains = TrackNames.Key(t.Name).Contains(key, StringComparison.Ordinal) || (t.DisplayName is { } n && TrackNames.Key(n).Contains(key, StringComparison.Ordinal));
                return (t.Name, Distance: contains ? Math.Min(d, 1) : d);
            })
            .Where(x => x.Distance <= Math.Max(3, key.Length / 3))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(max)
            .Select(x => x.Name)];
    }

    private static string NearText(string name) => NearNames(name) is { Count: > 0 } near ? $" (near names: {string.Join(", ", near)})" : "";

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>The most frequent positive <c>track_len</c> of the steps, or null.</summary>
    internal static double? CommonTrackLen(StepTable steps)
    {
        var counts = new Dictionary<float, int>();
        foreach (var v in steps.TrackLen)
        {
            if (v > 0 && float.IsFinite(v))
            {
                counts[v] = counts.GetValueOrDefault(v) + 1;
            }
        }

        return counts.Count == 0 ? null : counts.MaxBy(p => p.Value).Key;
    }

    private static (double OnRoad, double Agree, double MeanDistance) Score(Track track, IReadOnlyList<TrackSample.Point> rows)
    {
        int onRoad = 0, agree = 0;
        double sum = 0;
        var half = track.MaxWidth / 2;
        // A closed track's last waypoint repeats the first, so indices wrap with period n-1.
        var period = track.IsClosed ? track.WaypointCount - 1 : track.WaypointCount;
        foreach (var row in rows)
        {
            var p = new TrackPoint(row.X, row.Y);
            var d = track.DistanceFromCenter(p);
            sum += d;
            // Cars leave the road before an episode ends, so allow a car length beyond the border.
            if (d <= half + 0.3)
            {
                onRoad++;
            }

            var diff = Math.Abs(track.NearestWaypoint(p) - row.ClosestWaypoint) % period;
            if (Math.Min(diff, period - diff) <= 2)
            {
                agree++;
            }
        }

        return ((double)onRoad / rows.Count, (double)agree / rows.Count, sum / rows.Count);
    }
}

/// <summary>What a track guess reads of the steps: the most common <c>track_len</c> and positions sampled evenly over the rows.</summary>
/// <param name="Length">The most frequent positive <c>track_len</c>, or null.</param>
/// <param name="Points">The sampled rows with a finite position, in row order.</param>
internal sealed record TrackSample(double? Length, IReadOnlyList<TrackSample.Point> Points)
{
    /// <summary>Positions guessed from.</summary>
    public const int DefaultSamples = 500;

    /// <summary>One sampled step.</summary>
    public readonly record struct Point(float X, float Y, short ClosestWaypoint);

    /// <summary>The rows looked at: every <c>stride</c>-th of <paramref name="rows"/>, from row 0 (the first <paramref name="samples"/> with a finite position are kept).</summary>
    public static (int Stride, int Count) Rows(int rows, int samples = DefaultSamples)
    {
        var stride = Math.Max(1, rows / Math.Max(1, samples));
        return (stride, rows == 0 ? 0 : ((rows - 1) / stride) + 1);
    }

    /// <summary>Keeps the first <paramref name="samples"/> points with a finite position, in row order.</summary>
    public static List<Point> Finite(IEnumerable<Point> candidates, int samples = DefaultSamples) =>
        [.. candidates.Where(p => float.IsFinite(p.X) && float.IsFinite(p.Y)).Take(samples)];

    public static TrackSample Of(StepTable steps, int samples = DefaultSamples)
    {
        var (stride, count) = Rows(steps.RowCount, samples);
        var candidates = Enumerable.Range(0, count).Select(k => k * stride).Select(i => new Point(steps.X[i], steps.Y[i], steps.ClosestWaypoint[i]));
        return new TrackSample(TrackResolver.CommonTrackLen(steps), Finite(candidates, samples));
    }
}
