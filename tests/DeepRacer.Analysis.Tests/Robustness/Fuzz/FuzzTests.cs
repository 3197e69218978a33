using System.Globalization;
using CsCheck;

namespace DeepRacer.Analysis.Tests.Robustness.Fuzz;

/// <summary>Fuzz tests run alone: the allocation bound reads the process-wide allocation counter.</summary>
[CollectionDefinition(nameof(FuzzCollection), DisableParallelization = true)]
public sealed class FuzzCollection;

/// <summary>
/// Property: whatever damage is done to a real input, drlog either loads it (bad lines counted) or rejects it with its own
/// one-line error, within <see cref="FuzzTargets.TimeBound"/> and <see cref="FuzzTargets.AllocationBound"/>. A short run per
/// test run; <c>tests/fuzz/run-long.sh</c> sets <c>DRLOG_FUZZ_CASES</c> for the long one and <c>DRLOG_FUZZ_REPORT</c> for its counts.
/// </summary>
[Collection(nameof(FuzzCollection))]
public sealed class FuzzTests
{
    private const long ShortRunCases = 6;

    // Every run draws new cases; a failure prints the seed that repeats it (DRLOG_FUZZ_SEED or CsCheck_Seed).
    private static readonly string? s_seed = Environment.GetEnvironmentVariable("DRLOG_FUZZ_SEED");

    // DRLOG_FUZZ_CASES_<Kind> overrides DRLOG_FUZZ_CASES for one kind (cheap kinds get more cases in the long run).
    private static long Cases(FuzzKind kind) =>
        long.TryParse(Environment.GetEnvironmentVariable($"DRLOG_FUZZ_CASES_{kind}") ?? Environment.GetEnvironmentVariable("DRLOG_FUZZ_CASES"), CultureInfo.InvariantCulture, out var n)
            ? n
            : ShortRunCases;

    public static TheoryData<FuzzKind> Kinds => [.. Enum.GetValues<FuzzKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void DamagedInput_LoadsOrIsRejectedWithOneClearError(FuzzKind kind)
    {
        var cases = Cases(kind);
        long loaded = 0, rejected = 0, crashes = 0, hangs = 0;
        try
        {
            FuzzInputs.Cases(kind).Sample(
                c =>
                {
                    try
                    {
                        if (FuzzTargets.Run(c) == FuzzOutcome.Loaded)
                        {
                            Interlocked.Increment(ref loaded);
                        }
                        else
                        {
                            Interlocked.Increment(ref rejected);
                        }
                    }
                    catch (TimeoutException)
                    {
                        Interlocked.Increment(ref hangs);
                        throw;
                    }
                    catch
                    {
                        Interlocked.Increment(ref crashes);
                        throw;
                    }
                },
                seed: s_seed,
                iter: cases,
                threads: 1);
        }
        finally
        {
            Report(kind, loaded, rejected, crashes, hangs);
        }

        Assert.Equal(cases, loaded + rejected);
    }

    [Fact]
    public void Mutator_DamagesEveryKindOfSeed()
    {
        // The harness is only as good as its damage: every edit changes the bytes of at least one seed, and the seeds load undamaged.
        foreach (var op in Enumerable.Range(0, 10))
        {
            var seed = FuzzInputs.Seeds(FuzzKind.SimtraceCsv)[0];
            Assert.NotEqual(seed, FuzzInputs.Apply(seed, [new Mutation(op, 0.5, 7)]));
        }

        foreach (var kind in Enum.GetValues<FuzzKind>())
        {
            foreach (var seed in Enumerable.Range(0, FuzzInputs.Seeds(kind).Length))
            {
                Assert.Equal(FuzzOutcome.Loaded, FuzzTargets.Run(new FuzzCase(kind, seed, [])));
            }
        }
    }

    private static void Report(FuzzKind kind, long loaded, long rejected, long crashes, long hangs)
    {
        if (Environment.GetEnvironmentVariable("DRLOG_FUZZ_REPORT") is { Length: > 0 } path)
        {
            File.AppendAllText(path, FormattableString.Invariant($"{kind}\t{loaded + rejected + crashes + hangs}\t{loaded}\t{rejected}\t{crashes}\t{hangs}\n"));
        }
    }
}
