using System.Globalization;
using CsCheck;
using DeepRacer.Analysis.Tests.Robustness.Fuzz;

namespace DrLog.Tests.Robustness;

/// <summary>
/// The fuzz corpus through the CLI, in-process: for any damaged input every command ends with exit 0 or 1, and stderr
/// has neither a stack trace ("   at ") nor "unexpected error" (the handler's line for bugs). A short run per test run;
/// <c>DRLOG_FUZZ_CLI_CASES</c> sets the cases per input kind for a longer one (tests/fuzz/run-long.sh).
/// </summary>
public sealed class FuzzCorpusCliTests
{
    private static readonly long s_cases = long.TryParse(Environment.GetEnvironmentVariable("DRLOG_FUZZ_CLI_CASES"), CultureInfo.InvariantCulture, out var n) ? n : 2;

    public static TheoryData<FuzzKind> Kinds => [.. Enum.GetValues<FuzzKind>().Where(k => k != FuzzKind.S3Listing)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void DamagedInput_EveryCommand_OneLineErrorsOnly(FuzzKind kind)
    {
        var runs = 0;
        FuzzInputs.Cases(kind).Sample(
            c =>
            {
                var dir = Directory.CreateTempSubdirectory("drlog-cli-fuzz-").FullName;
                try
                {
                    var location = FuzzTargets.Write(c, dir);
                    // Rendering (report, plot) costs most: one case in four renders.
                    var render = c.Mutations is [] || c.Mutations[0].Value % 4 == 0;
                    foreach (var args in Commands(kind, location, dir).Where(a => render || a[0] is not ("report" or "plot")))
                    {
                        var run = Task.Run(() => CliRunner.RunAsync(args));
                        Assert.True(run.Wait(FuzzTargets.TimeBound), $"hang: drlog {string.Join(' ', args)} on {c}");
                        var (exit, _, stderr) = run.Result;
                        Assert.True(exit is 0 or 1, $"exit {exit}: drlog {string.Join(' ', args)} on {c}: {stderr}");
                        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
                        Assert.DoesNotContain("unexpected error", stderr, StringComparison.Ordinal);
                        Interlocked.Increment(ref runs);
                    }
                }
                finally
                {
                    Directory.Delete(dir, recursive: true);
                }
            },
            seed: Environment.GetEnvironmentVariable("DRLOG_FUZZ_SEED"),
            iter: s_cases,
            threads: 1);

        Assert.True(runs >= s_cases);
        if (Environment.GetEnvironmentVariable("DRLOG_FUZZ_REPORT") is { Length: > 0 } path)
        {
            File.AppendAllText(path, FormattableString.Invariant($"cli {kind}\t{s_cases}\t{runs}\n"));
        }
    }

    private static IEnumerable<string[]> Commands(FuzzKind kind, string location, string dir)
    {
        var html = Path.Combine(dir, "report.html");
        switch (kind)
        {
            case FuzzKind.MetricsJson:
                yield return ["metrics", location];
                yield return ["metrics", location, "--episodes"];
                yield return ["metrics", location, "--best-laps", "3"];
                yield break;
            case FuzzKind.Npy:
                yield return ["tracks", "--track", location];
                yield return ["plot", "heatmap", CliRunner.Sample("sample-drfc-1-logs"), "--track", location, "-o", Path.Combine(dir, "heat.png")];
                yield break;
            case FuzzKind.TrainerLog:
                yield return ["info", location];
                yield return ["metrics", CliRunner.Sample("sample-drfc-1-logs"), "--policy", "--trainer-log", location];
                yield break;
            case FuzzKind.RobomakerLog or FuzzKind.SimulationLog:
                yield return ["info", location];
                yield return ["episodes", location, "--evaluation", "-f", "csv"];
                yield return ["stability", location];
                yield return ["report", location, "-o", html];
                yield break;
            default:
                yield return ["info", location];
                yield return ["episodes", location, "-f", "json"];
                yield return ["steps", location, "--episode", "1"];
                yield return ["report", location, "-o", html];
                yield break;
        }
    }
}
