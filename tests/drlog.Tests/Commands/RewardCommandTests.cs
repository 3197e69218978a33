using System.Diagnostics;
using System.Text.Json;

namespace DrLog.Tests.Commands;

public sealed class RewardCommandTests : IDisposable
{
    private static readonly string s_sample = CliRunner.Sample("sample-drfc-1-logs");
    private static readonly string s_function = Path.Combine(s_sample, "reward_function.py");
    private readonly string _temp = Directory.CreateTempSubdirectory("drlog-reward-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_temp, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Reward_OwnFunction_JsonSummaryAgreesOnEveryStep()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("reward", s_sample, "--function", s_function, "-f", "json");

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        // 39 392 rows less 540 prepare rows (awk over the CSVs), all reproduced.
        Assert.Equal(38_852, root.GetProperty("steps").GetInt32());
        Assert.Equal(38_852, root.GetProperty("matching_steps").GetInt32());
        Assert.Equal(1.0, root.GetProperty("agreement").GetDouble());
        Assert.Equal(1.0, root.GetProperty("episode_correlation").GetDouble(), 12);
        Assert.True(root.GetProperty("steps_per_second").GetDouble() > 0);
        Assert.Equal("reinvent_base", root.GetProperty("track").GetString());
        Assert.Equal(10, root.GetProperty("rank_changes").GetArrayLength());
    }

    [Fact]
    public async Task Reward_PerStepWithParams_OneRowPerRewardCall()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("reward", s_sample, "--function", s_function, "--per-step", "--params", "-f", "csv");

        Assert.Equal(0, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(38_852 + 1, lines.Length);
        Assert.Equal(
            "iteration,episode,steps,reward,new_reward,x,y,heading,speed,steering_angle,progress,track_length,track_width,closest_waypoints_0,closest_waypoints_1," +
            "distance_from_center,is_left_of_center,all_wheels_on_track,is_offtrack,is_crashed,is_reversed,projection_distance",
            lines[0].TrimEnd('\r'));
        // 0-iteration.csv row 2 (the first reward call): steps 2.0, throttle 2.0, steer -10.0, reward 1.0, progress 0.7912086385327715.
        var first = lines[1].Split(',');
        Assert.Equal(["0", "0", "2", "1", "1"], first[..5]);
        Assert.Equal("2", first[8]);
        Assert.Equal("-10", first[9]);
        Assert.Equal("0.7912086385327715", first[10]);
        Assert.Equal(["0", "1"], first[13..15]);
    }

    [Fact]
    public async Task Episodes_RewardFunction_FillsNewReward()
    {
        var speed = Write("speed.py", "def reward_function(params):\n    return params['speed'] if params['all_wheels_on_track'] else 0.0\n");

        var (exit, stdout, _) = await CliRunner.RunAsync("episodes", s_sample, "--reward-function", speed, "-f", "json", "--top", "3");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        var rows = json.RootElement;
        // awk over 0-iteration.csv: the throttle of episode 0's / 2's non-prepare rows with all wheels on track sums to 80 / 43.
        Assert.Equal(80, rows[0].GetProperty("new_reward").GetDouble(), 9);
        Assert.Equal(43, rows[2].GetProperty("new_reward").GetDouble(), 9);
        Assert.Equal(31.405, rows[0].GetProperty("reward").GetDouble(), 3);
    }

    [Fact]
    public async Task Report_RewardFunction_AddsTheOldVsNewSection()
    {
        var path = Path.Combine(_temp, "r.html");

        var (exit, _, stderr) = await CliRunner.RunAsync("report", s_sample, "--reward-function", s_function, "-o", path);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        var html = await File.ReadAllTextAsync(path);
        Assert.Contains("Old vs new reward", html, StringComparison.Ordinal);
        Assert.Contains("reward_function.py replayed over 38,852 steps", html, StringComparison.Ordinal);
        Assert.Contains("38,852 steps (100.000 %) give the logged reward", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reward_PythonMissing_OneLineWithTheFlag()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("reward", s_sample, "--function", s_function, "--python", "/nonexistent/python3");

        Assert.Equal(1, exit);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("drlog: Python interpreter '/nonexistent/python3' could not be started (", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("; install Python 3 or give the path of an interpreter (--python PATH).", lines[0].TrimEnd('\r'), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reward_FunctionRaises_StepParamsTracebackAndExitOne()
    {
        var fails = Write("fails.py", "def reward_function(params):\n    return params['no_such_key']\n");

        var (exit, stdout, stderr) = await CliRunner.RunAsync("reward", s_sample, "--function", fails);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n');
        Assert.Equal("drlog: reward_function raised KeyError: 'no_such_key' at iteration 0, episode 0, step 2 (--skip-errors counts failing steps and goes on).", lines[0].TrimEnd('\r'));
        Assert.StartsWith("params: {'x': 3.1998491", lines[1], StringComparison.Ordinal);
        Assert.Contains("Traceback (most recent call last):", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reward_FunctionRaisesEverywhere_TheFirstStepInTheTableIsReported_EvenWhenItsWorkerIsSlower()
    {
        // The first call of episode 0 (the car at the start line) fails half a second late; every other call fails at
        // once, so the second worker's batch fails first in time. The error named must still be the table's first.
        var slowFirst = Write("slow_first.py", "import time\n\ndef reward_function(params):\n    if params['steps'] == 2.0 and 3.19 < params['x'] < 3.21:\n        time.sleep(0.5)\n    raise ValueError('always')\n");

        var (exit, _, stderr) = await CliRunner.RunAsync("reward", s_sample, "--function", slowFirst);

        Assert.Equal(1, exit);
        Assert.StartsWith("drlog: reward_function raised ValueError: always at iteration 0, episode 0, step 2 ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reward_SkipErrors_WarnsAndCounts()
    {
        var some = Write("some.py", "def reward_function(params):\n    if params['steps'] == 2.0:\n        raise ValueError('first step')\n    return 1.0\n");

        var (exit, stdout, stderr) = await CliRunner.RunAsync("reward", s_sample, "--function", some, "--skip-errors", "-f", "json");

        Assert.Equal(0, exit);
        // One first reward call (steps 2.0) per episode: 540 episodes.
        Assert.StartsWith("drlog: warning: the reward function failed on 540 of 38852 steps (new_reward empty there); the first: reward_function raised ValueError: first step at iteration 0, episode 0, step 2.", stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(540, json.RootElement.GetProperty("errors").GetInt32());
    }

    [Fact]
    public async Task KilledDrlog_LeavesNoPythonWorker()
    {
        var hang = Write("hang.py", "import time\n\ndef reward_function(params):\n    time.sleep(3600)\n");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "drlog.dll"), "reward", s_sample, "--function", hang, "--workers", "2", "--timeout", "600" })
        {
            start.ArgumentList.Add(arg);
        }

        using var drlog = Process.Start(start)!;
        var workers = new List<int>();
        for (var i = 0; i < 300 && workers.Count < 2; i++)
        {
            await Task.Delay(100);
            workers = ChildrenOf(drlog.Id);
        }

        Assert.Equal(2, workers.Count);
        drlog.Kill(); // SIGKILL: no cleanup code of drlog runs
        await drlog.WaitForExitAsync();

        var alive = workers;
        for (var i = 0; i < 50 && alive.Count > 0; i++)
        {
            await Task.Delay(100);
            alive = [.. alive.Where(IsRunning)];
        }

        Assert.Empty(alive);
    }

    private static List<int> ChildrenOf(int parent) =>
        [.. Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1)
            .Where(pid => pid > 0 && Stat(pid) is { } stat && stat.Parent == parent && Command(pid).Contains("python", StringComparison.Ordinal))];

    private static bool IsRunning(int pid) => Stat(pid) is { } stat && stat.State != 'Z';

    private static (char State, int Parent)? Stat(int pid)
    {
        try
        {
            // Fields after the command's closing parenthesis: state, ppid, ...
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (rest[0][0], int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
