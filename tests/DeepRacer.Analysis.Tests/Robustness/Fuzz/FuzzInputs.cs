using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace DeepRacer.Analysis.Tests.Robustness.Fuzz;

/// <summary>Every kind of input drlog reads, as the fuzz tests mutate it.</summary>
public enum FuzzKind
{
    SimtraceCsv,
    RobomakerLog,
    SimulationLog,
    TrainerLog,
    MetricsJson,
    ModelMetadata,
    Hyperparameters,
    TarGz,
    Npy,
    FolderLayout,
    S3Listing,
}

/// <summary>One edit of a seed: <paramref name="Op"/> picks the kind of damage, <paramref name="At"/> where (0..1 of the length).</summary>
public readonly record struct Mutation(int Op, double At, int Value)
{
    public override string ToString() => FormattableString.Invariant($"{Op}@{At:0.####}/{Value}");
}

/// <summary>A fuzz case: which seed of a kind and the edits applied to it, in order.</summary>
public sealed record FuzzCase(FuzzKind Kind, int Seed, Mutation[] Mutations)
{
    public override string ToString() => $"{Kind} seed {Seed}: {string.Join(' ', Mutations)}";
}

/// <summary>
/// Seeds cut from the shipped samples and tracks, and the mutator that damages them as real downloads and hand edits do:
/// truncations, flipped bytes, garbage, lines lost or doubled, huge numbers, NaN, infinities and negative values.
/// </summary>
public static class FuzzInputs
{
    private static readonly string[] s_numbers =
    [
        "nan", "NaN", "inf", "-inf", "1e400", "-1e400", "1e308", "1e30", "-1", "-0", "0", "1.5", "2147483648", "-2147483649",
        "99999999999", "32768", "65536", "9223372036854775808", "", "0x10", "1e-400", "00000000000000000001",
    ];

    private static readonly Dictionary<FuzzKind, Lazy<byte[][]>> s_seeds = Enum.GetValues<FuzzKind>().ToDictionary(k => k, k => new Lazy<byte[][]>(() => MakeSeeds(k)));

    /// <summary>The seeds of a kind (cut from the samples once per run).</summary>
    public static byte[][] Seeds(FuzzKind kind) => s_seeds[kind].Value;

    /// <summary>Cases of one kind: a seed and one to four edits.</summary>
    public static Gen<FuzzCase> Cases(FuzzKind kind)
    {
        var mutation = Gen.Select(Gen.Int[0, 9], Gen.Double[0, 1], Gen.Int[0, 1 << 20], (op, at, value) => new Mutation(op, at, value));
        return Gen.Select(Gen.Int[0, Seeds(kind).Length - 1], mutation.Array[1, 4], (seed, edits) => new FuzzCase(kind, seed, edits));
    }

    /// <summary>The damaged bytes of a case.</summary>
    public static byte[] Bytes(FuzzCase c)
    {
        var seed = Seeds(c.Kind)[c.Seed];
        if (c.Kind == FuzzKind.TarGz && c.Mutations is [var first, ..] && first.Value % 2 == 0)
        {
            // Half the cases damage the tar inside the gzip stream (headers, sizes), half the compressed bytes.
            return TestInputs.Gzip(Apply(TestInputs.Gunzip(seed), c.Mutations));
        }

        return Apply(seed, c.Mutations);
    }

    /// <summary>Applies the edits in order.</summary>
    public static byte[] Apply(byte[] seed, IEnumerable<Mutation> mutations)
    {
        var data = seed;
        foreach (var m in mutations)
        {
            data = Apply(data, m);
        }

        return data;
    }

    private static byte[] Apply(byte[] data, Mutation m)
    {
        var at = Math.Clamp((int)(m.At * data.Length), 0, data.Length);
        var random = new Random(m.Value);
        switch (m.Op)
        {
            case 0: // cut off (a download that stopped)
                return data[..at];
            case 1: // flip a byte
                if (data.Length == 0)
                {
                    return data;
                }

                var flipped = (byte[])data.Clone();
                flipped[Math.Min(at, data.Length - 1)] ^= (byte)((m.Value & 0xFF) | 1);
                return flipped;
            case 2: // insert garbage
                var garbage = new byte[1 + (m.Value % 24)];
                random.NextBytes(garbage);
                return [.. data[..at], .. garbage, .. data[at..]];
            case 3 or 4 or 5: // replace the number at or after the position (the most common damage that parses)
                return ReplaceNumber(data, at, s_numbers[m.Value % s_numbers.Length]);
            case 6: // lose a line
            {
                var (start, end) = LineAround(data, at);
                return [.. data[..start], .. data[Math.Min(data.Length, end + 1)..]];
            }

            case 7: // double a line
            {
                var (start, end) = LineAround(data, at);
                var line = data[start..Math.Min(data.Length, end + 1)];
                return [.. data[..start], .. line, .. line, .. data[start..]];
            }

            case 8: // a separator too many or too few
            {
                var comma = Array.IndexOf(data, (byte)',', at);
                return comma < 0 ? [.. data, (byte)','] : m.Value % 2 == 0 ? [.. data[..comma], .. data[(comma + 1)..]] : [.. data[..comma], (byte)',', .. data[comma..]];
            }

            default: // a huge or odd number of repeated bytes (a field or line without end)
                var run = Enumerable.Repeat(data.Length == 0 ? (byte)'9' : data[Math.Min(at, data.Length - 1)], 1 + (m.Value % 4096)).ToArray();
                return [.. data[..at], .. run, .. data[at..]];
        }
    }

    private static (int Start, int End) LineAround(byte[] data, int at)
    {
        var start = at == 0 ? 0 : Array.LastIndexOf(data, (byte)'\n', Math.Min(at, data.Length) - 1) + 1;
        var end = Array.IndexOf(data, (byte)'\n', Math.Min(at, data.Length));
        return (start, end < 0 ? data.Length : end);
    }

    private static byte[] ReplaceNumber(byte[] data, int at, string number)
    {
        var i = at;
        while (i < data.Length && !char.IsAsciiDigit((char)data[i]))
        {
            i++;
        }

        if (i >= data.Length)
        {
            return data;
        }

        var start = i;
        while (start > 0 && (char.IsAsciiDigit((char)data[start - 1]) || data[start - 1] is (byte)'.' or (byte)'-'))
        {
            start--;
        }

        var end = i;
        while (end < data.Length && (char.IsAsciiDigit((char)data[end]) || data[end] is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+' or (byte)'-'))
        {
            end++;
        }

        return [.. data[..start], .. Encoding.ASCII.GetBytes(number), .. data[end..]];
    }

    private static byte[][] MakeSeeds(FuzzKind kind)
    {
        var root = TestSupport.RepoRoot;
        string Sample(string path) => Path.Combine(root, "samples", path);
        return kind switch
        {
            FuzzKind.SimtraceCsv =>
            [
                Head(Sample("sample-drfc-1-logs/training-simtrace/0-iteration.csv"), 120),
                Head(Sample("sample-console-logs/sim-trace/training/training-simtrace/0-iteration.csv"), 120),
                Head(Directory.GetFiles(Sample("sample-droa-solution-logs/sim-trace/evaluation"), "*.csv", SearchOption.AllDirectories)[0], 120),
                File.ReadAllBytes(TestSupport.Fixture("continuous-console.csv")),
            ],
            FuzzKind.RobomakerLog =>
            [
                LogHead(Sample("sample-console-logs/logs/evaluation/evaluation-20220612082853-IBZwYd0MRMqgwKlAe7bb0A-robomaker.log")),
                LogHead(Sample("sample-console-logs/logs/leaderboard/leaderboard-20220703172842-wDhqXQC-SkGOinLUdZCQZQ-robomaker.log")),
            ],
            FuzzKind.SimulationLog =>
            [
                LogHead(Directory.GetFiles(Sample("sample-droa-solution-logs/logs/training"), "*.log")[0]),
                LogHead(Directory.GetFiles(Sample("sample-droa-solution-logs/logs/evaluation"), "*.log")[0]),
            ],
            FuzzKind.TrainerLog => [Head(Sample("sample-console-logs/logs/training/training-20220611230350-EHNgTNY2T9-77qXhqjBi6A-sagemaker.log"), 400)],
            FuzzKind.MetricsJson =>
            [
                MetricsHead(Sample("sample-drfc-1-logs/metrics/TrainingMetrics.json")),
                MetricsHead(Directory.GetFiles(Sample("sample-console-logs/metrics/training"), "*.json")[0]),
            ],
            FuzzKind.ModelMetadata =>
            [
                File.ReadAllBytes(Sample("sample-drfc-1-logs/model/model_metadata.json")),
                File.ReadAllBytes(Sample("sample-console-logs/model/model_metadata.json")),
            ],
            FuzzKind.Hyperparameters => [File.ReadAllBytes(Sample("sample-drfc-1-logs/ip/hyperparameters.json"))],
            FuzzKind.TarGz => [File.ReadAllBytes(Sample("sample-droa-solution-logs.tar.gz"))],
            FuzzKind.Npy =>
            [
                File.ReadAllBytes(Path.Combine(root, "tracks", "reinvent_base.npy")),
                File.ReadAllBytes(Path.Combine(root, "tracks", "reInvent2019_track.npy")),
            ],
            FuzzKind.FolderLayout or FuzzKind.S3Listing =>
            [
                Listing("sample-drfc-3-logs"), Listing("sample-console-logs"), Listing("sample-droa-solution-logs"), Listing("sample-drfc-1-logs"),
                // A link back to the model folder ('@' marks a symbolic link to the root when the layout is created).
                [.. Listing("sample-drfc-1-logs"), .. "training-simtrace/loop@\t0\n"u8.ToArray()],
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static byte[] Head(string path, int lines) =>
        Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(path).Take(lines)) + "\n");

    // The header (hyperparameters, action space, world) and the first 80 steps: what every log parser path sees.
    private static byte[] LogHead(string path)
    {
        var lines = new List<string>();
        var steps = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Contains("SIM_TRACE_LOG", StringComparison.Ordinal) && ++steps > 80)
            {
                break;
            }

            lines.Add(line);
        }

        return Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
    }

    // The first 40 episodes, re-serialised: a valid file that is small enough to mutate quickly.
    private static byte[] MetricsHead(string path)
    {
        var doc = JsonNode.Parse(File.ReadAllBytes(path))!.AsObject();
        var metrics = doc["metrics"]!.AsArray();
        while (metrics.Count > 40)
        {
            metrics.RemoveAt(metrics.Count - 1);
        }

        return JsonSerializer.SerializeToUtf8Bytes(doc, new JsonSerializerOptions { WriteIndented = true });
    }

    // "path<TAB>size" per file of a sample (at most 4 files per folder): an S3 listing, or a folder layout to create.
    private static byte[] Listing(string sample)
    {
        var from = TestSupport.Sample(sample);
        var lines = Directory.GetFiles(from, "*", SearchOption.AllDirectories)
            .Select(f => (Path: Path.GetRelativePath(from, f).Replace('\\', '/'), new FileInfo(f).Length))
            .GroupBy(f => Path.GetDirectoryName(f.Path))
            .SelectMany(g => g.OrderBy(f => f.Path, StringComparer.Ordinal).Take(4))
            .Select(f => $"{f.Path}\t{f.Length}");
        return Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
    }
}
