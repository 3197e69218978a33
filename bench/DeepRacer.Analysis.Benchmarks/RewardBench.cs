using System.Diagnostics;
using System.Globalization;
using DeepRacer.Analysis;
using DeepRacer.Analysis.Rewards;

/// <summary>
/// Reward replay throughput: replayed steps per second for the params alone, a trivial Python function and the
/// drfc-1 sample's function, on one loaded model (the load itself is not timed).
/// </summary>
internal static class RewardBench
{
    public static async Task<int> RunAsync(string model, string python, int runs, string repo)
    {
        Console.WriteLine(Inv($"load average before: {LoadAverage()}"));
        using var log = await DeepRacerLog.OpenAsync(model).ConfigureAwait(false);
        var steps = await log.LoadTrainingTraceAsync().ConfigureAwait(false);
        var track = (await log.ResolveTrackAsync(steps: steps).ConfigureAwait(false)).Track;
        Console.WriteLine(Inv($"{steps.RowCount:N0} rows on {track.Name}, {Environment.ProcessorCount} cores"));

        for (var r = 0; r < runs; r++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var table = RewardParamsTable.Build(steps, track);
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine(Inv(
                $"params only  run {r + 1}: {table.Count:N0} steps in {clock.Elapsed.TotalSeconds:F3} s = {table.Count / clock.Elapsed.TotalSeconds:N0} steps/s; CPU {cpuSeconds:F2} s = {table.Count / cpuSeconds:N0} steps per CPU-second"));
        }

        var trivial = Path.Combine(Path.GetTempPath(), $"drlog-bench-trivial-{Environment.ProcessId}.py");
        await File.WriteAllTextAsync(trivial, "def reward_function(params):\n    return 1.0\n").ConfigureAwait(false);
        try
        {
            foreach (var (name, path) in new[] { ("trivial", trivial), ("drfc-1", Path.Combine(repo, "samples", "sample-drfc-1-logs", "reward_function.py")) })
            {
                for (var r = 0; r < runs; r++)
                {
                    var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var childCpu = ChildCpuSeconds();
                    var clock = Stopwatch.StartNew();
                    var function = await PythonRewardFunction.StartAsync(path, new PythonRewardOptions { Python = python }).ConfigureAwait(false);
                    var started = clock.Elapsed;
                    var result = await RewardReplay.RunAsync(steps, track, function).ConfigureAwait(false);
                    var total = clock.Elapsed;
                    function.Dispose();
                    var pythonCpu = ChildCpuSeconds() - childCpu;
                    var dotnetCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalSeconds;
                    var comparison = RewardComparison.Analyze(result);
                    Console.WriteLine(Inv(
                        $"{name,-8} run {r + 1}: {result.Params.Count:N0} steps, replay {result.StepsPerSecond:N0} steps/s (params {result.ParamsTime.TotalSeconds:F2} s + function {result.FunctionTime.TotalSeconds:F2} s), with worker start {result.Params.Count / total.TotalSeconds:N0} steps/s (start {started.TotalSeconds:F2} s), agreement {comparison.Agreement:P3}, load {LoadAverage()}"));
                    // On a busy machine wall time says little; CPU time says what two idle cores would do.
                    Console.WriteLine(Inv(
                        $"{name,-8} run {r + 1}: CPU .NET {dotnetCpu:F2} s + Python {pythonCpu:F2} s = {result.Params.Count / (dotnetCpu + pythonCpu):N0} steps per CPU-second, {2 * result.Params.Count / (dotnetCpu + pythonCpu):N0} steps/s on 2 idle cores"));
                }
            }
        }
        finally
        {
            File.Delete(trivial);
        }

        return 0;
    }

    /// <summary>CPU seconds of the waited-for children (utime + stime of /proc/self/stat's cutime, cstime), 100 ticks a second.</summary>
    private static double ChildCpuSeconds()
    {
        var text = File.ReadAllText("/proc/self/stat");
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // After the command: state is field 3, so cutime (16) and cstime (17) are at 13 and 14 here.
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
