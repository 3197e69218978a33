using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Analyses;

/// <summary>Finds the step rows of the episodes of an <see cref="EpisodeTable"/> made from the same <see cref="StepTable"/>.</summary>
public sealed class EpisodeRows
{
    private readonly StepTable _steps;
    private readonly Dictionary<(int, int), (int Start, int End)> _ranges = [];

    /// <summary>Indexes the episodes of a step table (its rows are grouped by episode as loaded).</summary>
    public EpisodeRows(StepTable steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        _steps = steps;
        var isEval = steps.Kind != StepTableKind.Training;
        var start = 0;
        for (var i = 1; i <= steps.RowCount; i++)
        {
            if (i == steps.RowCount || Key(i, isEval) != Key(start, isEval))
            {
                _ranges.TryAdd(Key(start, isEval), (start, i));
                start = i;
            }
        }
    }

    private (int, int) Key(int row, bool isEval) => isEval
        ? (_steps.Stream[row], _steps.Episode[row])
        : (_steps.Iteration[row], _steps.UniqueEpisode[row]);

    /// <summary>The step rows of row <paramref name="row"/> of <paramref name="episodes"/>, in step order; empty when it is not in the steps.</summary>
    public int[] Of(Table episodes, int row)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        (int, int) key;
        if (episodes.HasColumn("stream"))
        {
            var stream = episodes["stream"].AsText(row);
            var index = _steps.Streams.ToList().IndexOf(stream ?? "");
            key = (index, (int)episodes["episode"].AsDouble(row));
        }
        else
        {
            // Single-worker tables have no unique_episode column; there it equals episode.
            var episode = episodes.HasColumn("unique_episode") ? episodes["unique_episode"] : episodes["episode"];
            key = ((int)episodes["iteration"].AsDouble(row), (int)episode.AsDouble(row));
        }

        return _ranges.TryGetValue(key, out var r) ? [.. Enumerable.Range(r.Start, r.End - r.Start)] : [];
    }

    /// <summary>The step rows of every training episode of these iterations (the reference's <c>section_to_plot="iteration"</c>).</summary>
    public int[] OfIterations(IEnumerable<int> iterations)
    {
        var set = iterations.ToHashSet();
        var rows = new List<int>();
        for (var i = 0; i < _steps.RowCount; i++)
        {
            if (set.Contains(_steps.Iteration[i]))
            {
                rows.Add(i);
            }
        }

        return [.. rows];
    }
}
