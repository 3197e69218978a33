using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Episodes;

/// <summary>
/// <see cref="StabilityAnalysis.Analyze"/> while the simtrace files are parsed, without a step table: each file keeps its step
/// intervals and wall-clock points only until its (worker, iteration) group is complete, so memory is bounded by the largest
/// group, not the model.
/// </summary>
/// <remarks>
/// Valid only when the step table would hold the files' rows in file order (the streamed load checks that and otherwise falls
/// back to a loaded table). A group's figures then come from the same intervals and points as the table's: the intervals are
/// sorted before they are summed, and the points are joined in table order before their stable sort, so every figure is equal
/// to the last bit. A file whose group has no other file is summarised as soon as it ends.
/// </remarks>
internal sealed class StabilityAccumulator
{
    private readonly bool _isEval;
    private readonly (string Stream, int Worker, int Iteration)[] _keys;
    private readonly bool[] _alone;
    private readonly FilePart?[] _parts;

    /// <param name="kind">Training, evaluation or leaderboard.</param>
    /// <param name="fileKeys">Each file's group in table order: its stream (evaluation) or worker (training), and its iteration.</param>
    public StabilityAccumulator(StepTableKind kind, IReadOnlyList<(string Stream, int Worker, int Iteration)> fileKeys)
    {
        _isEval = kind != StepTableKind.Training;
        _keys = [.. fileKeys.Select(k => _isEval ? (k.Stream, 0, k.Iteration) : ("", k.Worker, k.Iteration))];
        var sizes = _keys.CountBy(k => k).ToDictionary();
        _alone = [.. _keys.Select(k => sizes[k] == 1)];
        _parts = new FilePart?[_keys.Length];
    }

    /// <summary>The consumer of file <paramref name="index"/> (table order); files may be parsed in parallel.</summary>
    public IChunkConsumer Open(int index) => _parts[index] = new FilePart(this, index);

    /// <summary>The report once every file has ended.</summary>
    public StabilityReport Finish(LoadReport report)
    {
        var groups = new SortedDictionary<(string Stream, int Worker, int Iteration), List<FilePart>>(StabilityAnalysis.GroupOrder(_isEval));
        var spans = new SortedDictionary<int, (double First, double Last)>();
        for (var f = 0; f < _parts.Length; f++)
        {
            var part = _parts[f] ?? throw new InvalidOperationException($"file {f} was not read");
            if (!part.HasRows)
            {
                continue;
            }

            if (!groups.TryGetValue(_keys[f], out var files))
            {
                groups[_keys[f]] = files = [];
            }

            files.Add(part);
            if (!_isEval && _keys[f].Worker == 0 && part.HasWall)
            {
                StabilityAnalysis.AddSpan(spans, _keys[f].Iteration, part.WallFirst, part.WallLast);
            }
        }

        var figures = new List<GroupFigures>(groups.Count);
        foreach (var (_, files) in groups)
        {
            if ((files.Count == 1 ? files[0].Figures() : Join(files)) is { } group)
            {
                figures.Add(group);
            }
        }

        return StabilityAnalysis.Report(_isEval, figures, _isEval ? null : StabilityAnalysis.Timing(spans)) with { Report = report };
    }

    /// <summary>A group spread over several files: their intervals, plus the one between two files that continue an episode.</summary>
    private static GroupFigures? Join(List<FilePart> files)
    {
        var deltas = new List<double>();
        var points = new List<(double Sim, double Wall)>();
        FilePart? previous = null;
        foreach (var part in files)
        {
            deltas.AddRange(part.Deltas);
            points.AddRange(part.Points);
            if (previous is not null && previous.LastEpisode == part.FirstEpisode && part.FirstStatus != EpisodeStatus.Prepare
                && part.FirstTstamp - previous.LastTstamp is var d && d >= 0)
            {
                deltas.Add(d);
            }

            previous = part;
        }

        var (stream, worker, iteration) = files[0].Key;
        return StabilityAnalysis.Figures(stream, worker, iteration, deltas, points);
    }

    /// <summary>One file's intervals and points, or its figures once its group is known to be complete.</summary>
    private sealed class FilePart(StabilityAccumulator owner, int index) : IChunkConsumer
    {
        private GroupFigures? _figures;
        private bool _summarised;

        public (string Stream, int Worker, int Iteration) Key => owner._keys[index];

        public List<double> Deltas { get; private set; } = [];

        public List<(double Sim, double Wall)> Points { get; private set; } = [];

        public bool HasRows { get; private set; }

        public int FirstEpisode { get; private set; }

        public EpisodeStatus FirstStatus { get; private set; }

        public double FirstTstamp { get; private set; }

        public int LastEpisode { get; private set; }

        public double LastTstamp { get; private set; }

        public bool HasWall { get; private set; }

        public double WallFirst { get; private set; }

        public double WallLast { get; private set; }

        public void Consume(StepChunk chunk)
        {
            for (var r = 0; r < chunk.Count; r++)
            {
                var episode = chunk.Episode[r];
                var tstamp = chunk.Tstamp[r];
                var status = chunk.Status[r];
                var wall = chunk.WallClock[r];
                if (!HasRows)
                {
                    (HasRows, FirstEpisode, FirstStatus, FirstTstamp) = (true, episode, status, tstamp);
                }
                else if (episode == LastEpisode && status != EpisodeStatus.Prepare && tstamp - LastTstamp is var d && d >= 0)
                {
                    // As StabilityAnalysis.Deltas: consecutive rows of one episode, prepare rows and negative intervals dropped.
                    Deltas.Add(d);
                }

                (LastEpisode, LastTstamp) = (episode, tstamp);
                if (!double.IsNaN(wall))
                {
                    (WallFirst, WallLast) = HasWall ? (Math.Min(WallFirst, wall), Math.Max(WallLast, wall)) : (wall, wall);
                    HasWall = true;
                    if (!double.IsNaN(tstamp))
                    {
                        Points.Add((tstamp, wall));
                    }
                }
            }
        }

        public void Close()
        {
            if (owner._alone[index])
            {
                // The whole group: its figures now, and the buffers go.
                _ = Figures();
            }
        }

        public GroupFigures? Figures()
        {
            if (!_summarised)
            {
                _figures = StabilityAnalysis.Figures(Key.Stream, Key.Worker, Key.Iteration, Deltas, Points);
                _summarised = true;
                Deltas = [];
                Points = [];
            }

            return _figures;
        }
    }
}
