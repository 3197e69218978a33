using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Analyses;

/// <summary>One lap (or any group of steps) as points on the track with the value that colours them.</summary>
/// <param name="Label">What the lap is, e.g. "iteration 3 episode 61" or "stream 20220709200242 episode 2".</param>
/// <param name="X">x of each step, metres, in step order.</param>
/// <param name="Y">y of each step, metres.</param>
/// <param name="Value">The colouring value of each step.</param>
public sealed record LapPoints(string Label, double[] X, double[] Y, double[] Value);

/// <summary>
/// Laps drawn on the track coloured by speed, reward, action, progress or any numeric step column (the reference's
/// <c>plot_selected_laps</c>/<c>plot_grid_world</c> as data): the track's lines plus points with values.
/// </summary>
/// <param name="Track">The track to draw under the points.</param>
/// <param name="ValueColumn">The colouring column.</param>
/// <param name="Laps">One entry per selected lap.</param>
/// <param name="ValueMin">Smallest finite value over all laps (for a shared colour scale), NaN when none.</param>
/// <param name="ValueMax">Largest finite value over all laps, NaN when none.</param>
public sealed record TrackLaps(Track Track, string ValueColumn, IReadOnlyList<LapPoints> Laps, double ValueMin, double ValueMax)
{
    /// <summary>Points of the episodes at these rows of an episode table made from <paramref name="steps"/>.</summary>
    /// <exception cref="DeepRacerLogException">The value column does not exist.</exception>
    public static TrackLaps ForEpisodes(StepTable steps, Track track, Table episodes, IEnumerable<int> episodeRows, string valueColumn = "speed")
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(episodes);
        ArgumentNullException.ThrowIfNull(episodeRows);
        var index = new EpisodeRows(steps);
        var groups = episodeRows.Select(r => (Label(episodes, r), index.Of(episodes, r))).ToList();
        return Build(steps, track, valueColumn, groups);
    }

    /// <summary>Points of every step of each of these iterations, one entry per iteration.</summary>
    public static TrackLaps ForIterations(StepTable steps, Track track, IEnumerable<int> iterations, string valueColumn = "speed")
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(iterations);
        var index = new EpisodeRows(steps);
        return Build(steps, track, valueColumn, [.. iterations.Select(i => ($"iteration {i}", index.OfIterations([i])))]);
    }

    private static string Label(Table episodes, int row) => episodes.HasColumn("stream")
        ? $"stream {episodes["stream"].Format(row)} episode {episodes["episode"].Format(row)}"
        : $"iteration {episodes["iteration"].Format(row)} episode {(episodes.HasColumn("unique_episode") ? episodes["unique_episode"] : episodes["episode"]).Format(row)}";

    private static TrackLaps Build(StepTable steps, Track track, string valueColumn, List<(string Label, int[] Rows)> groups)
    {
        ArgumentNullException.ThrowIfNull(track);
        var value = StepValues.Getter(steps, valueColumn);
        var laps = groups.Select(g => new LapPoints(
            g.Label,
            [.. g.Rows.Select(i => (double)steps.X[i])],
            [.. g.Rows.Select(i => (double)steps.Y[i])],
            [.. g.Rows.Select(value)])).ToList();
        var all = laps.SelectMany(l => l.Value).Where(double.IsFinite).ToArray();
        return new TrackLaps(track, valueColumn, laps, all.Length == 0 ? double.NaN : all.Min(), all.Length == 0 ? double.NaN : all.Max());
    }
}
