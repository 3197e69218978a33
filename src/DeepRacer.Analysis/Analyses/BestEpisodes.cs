using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Analyses;

/// <summary>
/// The notebooks' "top n" episode tables (spec 7.10): training — 10 best by new_reward, 5 fastest complete laps, 5 best-rewarded
/// complete laps, 5 most progressed; evaluation — 15 most progressed, 15 fastest complete laps.
/// </summary>
/// <param name="Tables">Named tables in the notebooks' order, e.g. "Best by new_reward".</param>
public sealed record BestEpisodes(IReadOnlyList<(string Name, Table Table)> Tables)
{
    /// <summary>The notebook's tables for a training or evaluation episode table.</summary>
    public static BestEpisodes Analyze(EpisodeTable episodes)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        var complete = episodes.CompletedLaps();
        return episodes.IsEvaluation
            ? new BestEpisodes(
            [
                ("Most progressed", Top(episodes, "progress", 15, largest: true)),
                ("Fastest complete laps", Top(complete, "time", 15, largest: false)),
            ])
            : new BestEpisodes(
            [
                ("Best by new_reward", Top(episodes, "new_reward", 10, largest: true)),
                ("Fastest complete laps", Top(complete, "time", 5, largest: false)),
                ("Best-rewarded complete laps", Top(complete, "reward", 5, largest: true)),
                ("Most progressed", Top(episodes, "progress", 5, largest: true)),
            ]);
    }

    /// <summary>
    /// The <paramref name="n"/> rows with the largest (or smallest) values of a column, like pandas <c>nlargest</c>/<c>nsmallest</c>:
    /// missing values never count, ties keep the earlier row.
    /// </summary>
    /// <exception cref="DeepRacerLogException">No such column.</exception>
    public static Table Top(Table table, string column, int n, bool largest)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!table.HasColumn(column))
        {
            throw new DeepRacerLogException($"No column '{column}' to rank by; columns are {string.Join(", ", table.Columns.Select(c => c.Name))}.");
        }

        var c = table[column];
        var rows = Enumerable.Range(0, table.RowCount)
            .Where(i => !c.IsMissing(i))
            .OrderBy(i => largest ? -c.AsDouble(i) : c.AsDouble(i))
            .ThenBy(i => i)
            .Take(Math.Max(0, n))
            .ToArray();
        return table.Select(rows);
    }
}
