using System.Collections.Concurrent;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests;

/// <summary>Loads each sample once per test run (the tables are read-only).</summary>
internal static class Samples
{
    private static readonly ConcurrentDictionary<(string, StepTableKind, bool), Lazy<Task<StepTable>>> s_cache = new();

    public static Task<StepTable> Training(string name) => Load(name, StepTableKind.Training, logs: false);

    public static Task<StepTable> Evaluation(string name) => Load(name, StepTableKind.Evaluation, logs: false);

    public static Task<StepTable> Load(string name, StepTableKind kind, bool logs) =>
        s_cache.GetOrAdd((name, kind, logs), key => new Lazy<Task<StepTable>>(async () =>
        {
            using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample(key.Item1));
            return logs ? await log.LoadLogsAsync(key.Item2) : await log.LoadAsync(key.Item2, TraceKind.Simtrace);
        })).Value;
}
