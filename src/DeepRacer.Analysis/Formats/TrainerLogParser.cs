using System.Buffers.Text;
using DeepRacer.Analysis.Internal;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Formats;

/// <summary>One <c>Policy training&gt;</c> line of a trainer (sagemaker) log: one optimisation epoch (spec 3.7).</summary>
/// <param name="Iteration">The training iteration whose episodes the update learned from.</param>
/// <param name="Epoch">The <c>training epoch</c> within the update (0-based).</param>
/// <param name="SurrogateLoss">PPO clipped surrogate loss.</param>
/// <param name="KlDivergence">KL divergence between the old and the new policy.</param>
/// <param name="Entropy">Policy entropy.</param>
/// <param name="LearningRate">Learning rate.</param>
/// <param name="LineNumber">1-based line number in the log.</param>
public readonly record struct PolicyEpoch(int Iteration, int Epoch, double SurrogateLoss, double KlDivergence, double Entropy, double LearningRate, long LineNumber);

/// <summary>The trainer log of one round, placed on the master-iteration axis.</summary>
/// <param name="Round">Training round (1-based).</param>
/// <param name="Policy">The parsed trainer log.</param>
/// <param name="MasterOffset">The round's first master iteration.</param>
public sealed record PolicyRound(int Round, PolicyTraining Policy, int MasterOffset);

/// <summary>The policy-update side of a training, from the trainer log's <c>Policy training&gt;</c> lines.</summary>
public sealed class PolicyTraining
{
    /// <summary>Column names of the per-iteration table.</summary>
    public static readonly IReadOnlyList<string> ColumnNames =
        ["round", "iteration", "master_iteration", "epochs", "surrogate_loss", "kl_divergence", "entropy", "learning_rate", "episodes"];

    internal PolicyTraining(IReadOnlyList<PolicyEpoch> epochs, IReadOnlyDictionary<int, int> episodesPerIteration)
    {
        Epochs = epochs;
        EpisodesPerIteration = episodesPerIteration;
    }

    /// <summary>Every epoch line, in log order.</summary>
    public IReadOnlyList<PolicyEpoch> Epochs { get; }

    /// <summary>Number of <c>Training&gt;</c> episode lines per iteration, as the log numbers iterations.</summary>
    public IReadOnlyDictionary<int, int> EpisodesPerIteration { get; }

    /// <summary>
    /// Parses a trainer log: a console <c>*-sagemaker.log</c>, a DROA <c>*-training.log</c> or DRfC's sagemaker container log.
    /// </summary>
    /// <remarks>
    /// Iterations are delimited as the log delimits them: an update belongs to the <c>Training iteration=N</c> of the
    /// <c>Training&gt;</c> episode lines that precede it. A log without those lines numbers its updates 0, 1, … (a new
    /// update starts wherever other lines interrupt the <c>Policy training&gt;</c> lines or the epoch restarts at 0).
    /// </remarks>
    public static PolicyTraining Parse(Stream log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var parser = new TrainerLogParser();
        BlockPump.Run(log, parser);
        return parser.Build();
    }

    /// <summary>Parses a trainer log held in memory.</summary>
    public static PolicyTraining Parse(ReadOnlySpan<byte> log)
    {
        var parser = new TrainerLogParser();
        parser.Feed(log, isFinal: true);
        return parser.Build();
    }

    /// <summary>
    /// One row per iteration: <c>round</c>, <c>iteration</c> (as the log numbers it), <c>master_iteration</c> (iteration +
    /// <paramref name="masterOffset"/>, the round's first master iteration), <c>epochs</c>, the means over the epochs of
    /// <c>surrogate_loss</c>, <c>kl_divergence</c> and <c>entropy</c>, the last <c>learning_rate</c>, and the
    /// <c>episodes</c> the update learned from (its <c>Training&gt;</c> lines).
    /// </summary>
    public Table PerIteration(int masterOffset = 0, int round = 1) => PerIteration([new PolicyRound(round, this, masterOffset)]);

    /// <summary>The per-iteration table of several rounds (cloned models), one after the other.</summary>
    public static Table PerIteration(IReadOnlyList<PolicyRound> rounds)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        var rows = rounds.SelectMany(r => r.Policy.Epochs.GroupBy(e => e.Iteration).OrderBy(g => g.Key).Select(g => (Round: r, Group: g))).ToArray();
        return new Table(
        [
            new Column<int>("round", [.. rows.Select(x => x.Round.Round)]),
            new Column<int>("iteration", [.. rows.Select(x => x.Group.Key)]),
            new Column<int>("master_iteration", [.. rows.Select(x => x.Group.Key + x.Round.MasterOffset)]),
            new Column<int>("epochs", [.. rows.Select(x => x.Group.Count())]),
            new Column<double>("surrogate_loss", [.. rows.Select(x => Mean(x.Group, e => e.SurrogateLoss))]),
            new Column<double>("kl_divergence", [.. rows.Select(x => Mean(x.Group, e => e.KlDivergence))]),
            new Column<double>("entropy", [.. rows.Select(x => Mean(x.Group, e => e.Entropy))]),
            new Column<double>("learning_rate", [.. rows.Select(x => x.Group.Last().LearningRate)]),
            new Column<int>("episodes", [.. rows.Select(x => x.Round.Policy.EpisodesPerIteration.TryGetValue(x.Group.Key, out var n) ? n : 0)]),
        ]);
    }

    private static double Mean(IEnumerable<PolicyEpoch> epochs, Func<PolicyEpoch, double> value)
    {
        double sum = 0;
        var n = 0;
        foreach (var e in epochs)
        {
            sum += value(e);
            n++;
        }

        return n == 0 ? double.NaN : sum / n;
    }
}

/// <summary>Span-based parser of the <c>Training&gt;</c> and <c>Policy training&gt;</c> lines of a trainer log.</summary>
internal sealed class TrainerLogParser : LineParser
{
    private readonly List<PolicyEpoch> _epochs = [];
    private readonly Dictionary<int, int> _episodes = [];
    private int _iterationFromLog = -1;
    private int _blocks;
    private bool _inBlock;
    private int _lastEpoch = -1;

    protected override void ParseLine(ReadOnlySpan<byte> line, bool isLastLineWithoutNewline)
    {
        var policy = line.IndexOf("Policy training>"u8);
        if (policy >= 0)
        {
            var rest = line[(policy + "Policy training>"u8.Length)..];
            if (!TryField(rest, "Surrogate loss="u8, out var loss) || !TryField(rest, "KL divergence="u8, out var kl)
                || !TryField(rest, "Entropy="u8, out var entropy) || !TryField(rest, "training epoch="u8, out var epoch))
            {
                // A line cut by a log roll-over: nothing to learn from it.
                return;
            }

            TryField(rest, "learning_rate="u8, out var rate);
            if (!_inBlock || (int)epoch <= _lastEpoch)
            {
                _blocks++;
            }

            _inBlock = true;
            _lastEpoch = (int)epoch;
            var iteration = _iterationFromLog >= 0 ? _iterationFromLog : _blocks - 1;
            _epochs.Add(new PolicyEpoch(iteration, (int)epoch, loss, kl, entropy, rate, LineNumber));
            return;
        }

        _inBlock = false;
        _lastEpoch = -1;
        var training = line.IndexOf("Training> "u8);
        if (training >= 0 && TryField(line[training..], "Training iteration="u8, out var logIteration))
        {
            _iterationFromLog = (int)logIteration;
            _episodes[_iterationFromLog] = _episodes.GetValueOrDefault(_iterationFromLog) + 1;
        }
    }

    public PolicyTraining Build() => new(_epochs, _episodes);

    /// <summary>Reads the number after <paramref name="key"/> (up to a comma or the line end).</summary>
    private static bool TryField(ReadOnlySpan<byte> text, ReadOnlySpan<byte> key, out double value)
    {
        value = double.NaN;
        var at = text.IndexOf(key);
        if (at < 0)
        {
            return false;
        }

        var rest = text[(at + key.Length)..];
        var end = rest.IndexOfAny((byte)',', (byte)' ');
        var number = (end < 0 ? rest : rest[..end]).TrimEnd("\r\t"u8);
        if (Utf8Parser.TryParse(number, out double parsed, out var consumed, 'G') && consumed == number.Length)
        {
            value = parsed;
            return true;
        }

        // Python prints nan/inf for diverged updates.
        var text8 = System.Text.Encoding.ASCII.GetString(number).ToLowerInvariant();
        value = text8 switch { "nan" => double.NaN, "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity, _ => double.NaN };
        return text8 is "nan" or "inf" or "-inf";
    }
}
