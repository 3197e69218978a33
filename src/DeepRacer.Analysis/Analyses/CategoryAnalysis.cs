using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Analyses;

/// <summary>
/// Episodes split by a category: by quintile of the training (spec 7.3) or by start waypoint, with a summary of progress and
/// completion per category, the question "from which start does the car finish?" that no other tool answers.
/// </summary>
/// <param name="Column">The category column (<c>quintile</c>, <c>start_at</c>, ...).</param>
/// <param name="Summary">One row per category: <c>{Column}, episodes, complete_laps, completion_rate, progress_mean, progress_min,
/// time_mean, complete_time_mean, complete_time_min, reward_mean</c> (reward_mean NaN for evaluations).</param>
public sealed record CategoryAnalysis(string Column, Table Summary)
{
    private static readonly string[] s_quintiles = ["1st", "2nd", "3rd", "4th", "5th"];

    /// <summary>By training quintile (all five, even empty ones, as the reference's categorical does).</summary>
    public static CategoryAnalysis ByQuintile(EpisodeTable episodes) => ByCategory(episodes, "quintile");

    /// <summary>By start waypoint (<c>start_at</c>), ascending.</summary>
    public static CategoryAnalysis ByStartWaypoint(EpisodeTable episodes) => ByCategory(episodes, "start_at");

    /// <summary>By any column of the episode table; numeric categories ascending, text ordinally (quintiles in their order).</summary>
    /// <exception cref="DeepRacerLogException">No such column.</exception>
    public static CategoryAnalysis ByCategory(EpisodeTable episodes, string column)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        ArgumentNullException.ThrowIfNull(column);
        if (!episodes.HasColumn(column))
        {
            throw new DeepRacerLogException($"No episode column '{column}' to group by; columns are {string.Join(", ", episodes.Columns.Select(c => c.Name))}.");
        }

        var c = episodes[column];
        var numeric = c.Kind != ColumnKind.Text;
        var all = Enumerable.Range(0, episodes.RowCount).ToArray();
        // Numeric categories compare by value (so 7 and 7.0 are one), text ones by their text.
        List<string> categories;
        double[] values = [];
        if (column == "quintile" && !episodes.IsEvaluation)
        {
            categories = [.. s_quintiles];
        }
        else if (numeric)
        {
            values = [.. all.Select(i => c.AsDouble(i)).Where(v => !double.IsNaN(v)).Distinct().Order()];
            categories = [.. values.Select(Statistics.PythonFloat)];
            if (c.Kind == ColumnKind.Integer)
            {
                categories = [.. values.Select(v => ((long)v).ToString(CultureInfo.InvariantCulture))];
            }
        }
        else
        {
            categories = [.. all.Select(i => c.Format(i)).Distinct().Order(StringComparer.Ordinal)];
        }

        var time = episodes.Time.ToArray();
        var progress = episodes.Progress.ToArray();
        var complete = episodes.Complete.ToArray();
        var reward = episodes.HasColumn("reward") ? episodes.Get<double>("reward").ToArray() : null;

        var n = categories.Count;
        var count = new int[n];
        var laps = new int[n];
        var rate = new double[n];
        var progressMean = new double[n];
        var progressMin = new double[n];
        var timeMean = new double[n];
        var completeMean = new double[n];
        var completeMin = new double[n];
        var rewardMean = new double[n];
        for (var k = 0; k < n; k++)
        {
            var rows = values.Length > 0 ? all.Where(i => c.AsDouble(i) == values[k]).ToArray() : all.Where(i => c.Format(i) == categories[k]).ToArray();
            var t = rows.Select(i => time[i]).ToArray();
            var p = rows.Select(i => progress[i]).ToArray();
            var lapTimes = rows.Where(i => complete[i] == 1).Select(i => time[i]).ToArray();
            count[k] = rows.Length;
            laps[k] = lapTimes.Length;
            rate[k] = rows.Length == 0 ? double.NaN : (double)lapTimes.Length / rows.Length;
            progressMean[k] = Statistics.Mean(p);
            progressMin[k] = Statistics.Min(p);
            timeMean[k] = Statistics.Mean(t);
            completeMean[k] = Statistics.Mean(lapTimes);
            completeMin[k] = Statistics.Min(lapTimes);
            rewardMean[k] = reward is null ? double.NaN : Statistics.Mean(rows.Select(i => reward[i]));
        }

        Column key = values.Length == 0 ? new Column<string>(column, [.. categories])
            : c.Kind == ColumnKind.Integer ? new Column<long>(column, [.. values.Select(v => (long)v)])
            : new Column<double>(column, values);
        var summary = new Table(
        [
            key,
            new Column<int>("episodes", count),
            new Column<int>("complete_laps", laps),
            new Column<double>("completion_rate", rate),
            new Column<double>("progress_mean", progressMean),
            new Column<double>("progress_min", progressMin),
            new Column<double>("time_mean", timeMean),
            new Column<double>("complete_time_mean", completeMean),
            new Column<double>("complete_time_min", completeMin),
            new Column<double>("reward_mean", rewardMean),
        ]);
        return new CategoryAnalysis(column, summary);
    }
}
