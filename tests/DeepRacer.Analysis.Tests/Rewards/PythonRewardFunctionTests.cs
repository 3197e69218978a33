using System.Diagnostics;
using DeepRacer.Analysis.Rewards;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Tests.Rewards;

/// <summary>
/// The CPython runner on hand-made steps (Fixtures/rewards/reinvent-steps.csv: one prepare row, then five reward calls).
/// Expected rewards are worked out by hand from the params of <see cref="RewardParamsTests"/> and each function's formula.
/// </summary>
public class PythonRewardFunctionTests
{
    private static readonly Track s_reinvent = TrackCatalog.Find("reinvent_base")!;

    private static string Function(string name) => TestSupport.Fixture(Path.Combine("rewards", name));

    private static async Task<double[]> ReplayAsync(string path, PythonRewardOptions? options = null)
    {
        var steps = await RewardParamsTests.LoadFixtureAsync("reinvent-steps.csv");
        using var function = await PythonRewardFunction.StartAsync(path, options ?? new PythonRewardOptions { Workers = 1 });
        var result = await RewardReplay.RunAsync(steps, s_reinvent, function);
        return result.NewReward;
    }

    [Fact]
    public async Task HeadingToNextWaypoint_WrapsAt180()
    {
        // direction(prev -> next) - heading, folded into 0..180: rows 4 and 5 straddle ±180 (heading 180 and -179.9, direction -0.21 and 0.18).
        var rewards = await ReplayAsync(Function("heading_to_next.py"));
        double[] expected = [0.9973392186603611, 0.9971052257840833, 0.0011418363904842632, 0.0004625547301990718, 0.9962039909678249];
        Assert.Equal(expected.Length, rewards.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], rewards[i], 1e-12);
        }
    }

    [Fact]
    public async Task SideSteeringSpeedAndWheels()
    {
        // left 1.0 / right 0.5 x (1 - |steer| / 30) x speed; 1e-3 with a wheel off (rows 3 and 6).
        var rewards = await ReplayAsync(Function("side_and_steering.py"));
        Assert.Equal([1.0 * 0.5 * 2.0, 1e-3, 1.0 * 1.0 * 3.0, 0.5 * (1 - (5.0 / 30)) * 2.5, 1e-3], rewards);
    }

    [Fact]
    public async Task ModuleState_ProgressStepsAndClosestWaypoints()
    {
        // calls in the episode x 1000 + progress / steps + next waypoint / 1000.
        var rewards = await ReplayAsync(Function("stateful_progress.py"));
        double[] expected = [1000 + (9.0 / 2) + 0.011, 2000 + (9.1 / 3) + 0.011, 3000 + (99.9 / 4) + 0.118, 4000 + (0.4 / 5) + 0.001, 5000 + (20.0 / 6) + 0.024];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], rewards[i], 1e-9);
        }
    }

    [Fact]
    public async Task ModuleState_EachWorkerSeesWholeEpisodesInOrder()
    {
        // Two workers and one-step batches: batches still end only at an episode's end, so the per-episode count is steps - 1.
        var steps = await Samples.Training("sample-drfc-1-logs");
        using var function = await PythonRewardFunction.StartAsync(Function("stateful_progress.py"), new PythonRewardOptions { Workers = 2, BatchSize = 1 });
        var result = await RewardReplay.RunAsync(steps, s_reinvent, function);
        var rows = result.Params.SourceRows;
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(steps.Steps[rows[i]] - 1, Math.Floor(result.NewReward[i] / 1000));
        }
    }

    [Fact]
    public async Task PythonMissing_IsOneClearLine()
    {
        var e = await Assert.ThrowsAsync<RewardFunctionException>(() =>
            PythonRewardFunction.StartAsync(Function("side_and_steering.py"), new PythonRewardOptions { Python = "/nonexistent/python3" }));
        Assert.Equal(RewardErrorKind.PythonNotFound, e.Kind);
        Assert.StartsWith("Python interpreter '/nonexistent/python3' could not be started (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("); install Python 3 or give the path of an interpreter.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileMissing_SaysSo()
    {
        var e = await Assert.ThrowsAsync<RewardFunctionException>(() => PythonRewardFunction.StartAsync("/nonexistent/reward.py"));
        Assert.Equal("Reward function file /nonexistent/reward.py does not exist; give the path of a reward_function.py.", e.Message);
    }

    [Fact]
    public async Task NoRewardFunction_SaysWhatToDefine()
    {
        using var dir = new TempDir();
        var path = dir.Write("other.py", "def reward(params):\n    return 1.0\n");
        var e = await Assert.ThrowsAsync<RewardFunctionException>(() => PythonRewardFunction.StartAsync(path, new PythonRewardOptions { Workers = 1 }));
        Assert.Equal(RewardErrorKind.NoFunction, e.Kind);
        Assert.Equal($"{path} defines no reward_function(params); define it as the console expects.", e.Message);
    }

    [Fact]
    public async Task SyntaxError_NamesTheError()
    {
        using var dir = new TempDir();
        var path = dir.Write("broken.py", "def reward_function(params)\n    return 1.0\n");
        var e = await Assert.ThrowsAsync<RewardFunctionException>(() => PythonRewardFunction.StartAsync(path, new PythonRewardOptions { Workers = 1 }));
        Assert.Equal(RewardErrorKind.LoadFailed, e.Kind);
        Assert.StartsWith($"{path} could not be imported: SyntaxError: expected ':'; fix the file (it must run under python3 as it is).", e.Message, StringComparison.Ordinal);
        Assert.Contains("line 1", e.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exception_ReportsStepParamsAndTraceback()
    {
        using var dir = new TempDir();
        var path = dir.Write("fails.py", "def reward_function(params):\n    if params['steps'] == 4:\n        return 1 / 0\n    return 1.0\n");
        var e = await Assert.ThrowsAsync<RewardFunctionException>(() => ReplayAsync(path));
        var lines = e.Message.Split(Environment.NewLine);
        Assert.Equal(RewardErrorKind.Raised, e.Kind);
        Assert.Equal("reward_function raised ZeroDivisionError: division by zero at iteration 0, episode 0, step 4.", lines[0]);
        Assert.StartsWith("params: {'x': 3.0, 'y': 0.75, 'heading': 180.0, 'speed': 3.0, 'steering_angle': 0.0, 'progress': 99.9, 'steps': 4.0,", lines[1], StringComparison.Ordinal);
        Assert.Contains("'closest_waypoints': [117, 118]", lines[1], StringComparison.Ordinal);
        Assert.Equal("Traceback (most recent call last):", lines[2]);
        Assert.Contains("line 3, in reward_function", e.Message, StringComparison.Ordinal);
        Assert.Equal(new StepLocation(0, 0, 4), e.Step);
    }

    [Theory]
    [InlineData("return 'fast'", RewardErrorKind.NotANumber, "reward_function returned 'fast' (str), not a number at iteration 0, episode 0, step 2.")]
    [InlineData("return [1.0]", RewardErrorKind.NotANumber, "reward_function returned [1.0] (list), not a number at iteration 0, episode 0, step 2.")]
    [InlineData("return float('nan')", RewardErrorKind.NotFinite, "reward_function returned nan (float), not a finite number at iteration 0, episode 0, step 2.")]
    [InlineData("return 1e400", RewardErrorKind.NotFinite, "reward_function returned inf (float), not a finite number at iteration 0, episode 0, step 2.")]
    public async Task BadReturnValue_IsNamed(string body, RewardErrorKind kind, string message)
    {
        using var dir = new TempDir();
        var path = dir.Write("bad.py", $"def reward_function(params):\n    {body}\n");
        var e = await Assert.ThrowsAsync<RewardFunctionException>(() => ReplayAsync(path));
        Assert.Equal(kind, e.Kind);
        Assert.Equal(message, e.Message.Split(Environment.NewLine)[0]);
    }

    [Fact]
    public async Task IntsBoolsAndNumbersAreAccepted()
    {
        using var dir = new TempDir();
        var path = dir.Write("ints.py", "def reward_function(params):\n    return int(params['steps']) if params['is_left_of_center'] else True\n");
        double[] expected = [2.0, 1.0, 4.0, 1.0, 6.0];
        Assert.Equal(expected, await ReplayAsync(path));
    }

    [Fact]
    public async Task SkipErrors_CountsAndGoesOn()
    {
        using var dir = new TempDir();
        var path = dir.Write("some.py", "def reward_function(params):\n    return 1 / (params['steps'] % 2)\n");
        var steps = await RewardParamsTests.LoadFixtureAsync("reinvent-steps.csv");
        using var function = await PythonRewardFunction.StartAsync(path, new PythonRewardOptions { Workers = 1, SkipErrors = true });
        var result = await RewardReplay.RunAsync(steps, s_reinvent, function);

        Assert.Equal(3, result.ErrorCount);
        Assert.StartsWith("reward_function raised ZeroDivisionError: float division by zero at iteration 0, episode 0, step 2.", result.FirstError!.Message, StringComparison.Ordinal);
        Assert.True(double.IsNaN(result.NewReward[0]));
        Assert.Equal(1.0, result.NewReward[1]);
        Assert.Equal(1.0, result.NewReward[3]);
    }

    [Fact]
    public async Task HangingFunction_TimesOutAndIsKilled()
    {
        using var dir = new TempDir();
        var path = dir.Write("hang.py", "import time\n\ndef reward_function(params):\n    time.sleep(3600)\n");
        var steps = await RewardParamsTests.LoadFixtureAsync("reinvent-steps.csv");
        using var function = await PythonRewardFunction.StartAsync(path, new PythonRewardOptions { Workers = 1, BatchTimeout = TimeSpan.FromSeconds(1) });
        var e = await Assert.ThrowsAsync<RewardFunctionException>(() => RewardReplay.RunAsync(steps, s_reinvent, function));

        Assert.Equal(RewardErrorKind.Timeout, e.Kind);
        Assert.Equal(
            "reward_function did not return within 1 s while a batch of 5 steps from iteration 0, episode 0, step 2; it may loop forever or be very slow (allow more time per batch).",
            e.Message);
    }

    [Fact]
    public async Task PrintingFunction_DoesNotDisturbTheProtocol()
    {
        using var dir = new TempDir();
        var path = dir.Write("chatty.py", "print('loading')\n\ndef reward_function(params):\n    print('x' * 10000, params['steps'])\n    return params['speed']\n");
        double[] expected = [2.0, 1.5, 3.0, 2.5, 1.0];
        Assert.Equal(expected, await ReplayAsync(path));
    }
}

/// <summary>A Python with numpy: Debian's python3 with python3-numpy, installed by apt-get when missing (as root, as on CI).</summary>
public sealed class NumpyPythonFixture : IAsyncLifetime
{
    public const string Python = "/usr/bin/python3";

    public async Task InitializeAsync()
    {
        if (await HasNumpyAsync())
        {
            return;
        }

        await AptGet.InstallAsync("python3-numpy", $"{Python} has no numpy");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<bool> HasNumpyAsync()
    {
        if (!File.Exists(Python))
        {
            return false;
        }

        using var process = Process.Start(new ProcessStartInfo(Python, "-c \"import numpy\"") { RedirectStandardError = true })!;
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0;
    }
}

public class NumpyRewardFunctionTests(NumpyPythonFixture fixture) : IClassFixture<NumpyPythonFixture>
{
    [Fact]
    public async Task NumpyImportAndNumpyReturnValues_Work()
    {
        Assert.NotNull(fixture);
        var steps = await RewardParamsTests.LoadFixtureAsync("reinvent-steps.csv");
        using var function = await PythonRewardFunction.StartAsync(
            TestSupport.Fixture(Path.Combine("rewards", "numpy_heading.py")), new PythonRewardOptions { Python = NumpyPythonFixture.Python, Workers = 1 });
        var result = await RewardReplay.RunAsync(steps, TrackCatalog.Find("reinvent_base")!, function);

        // |direction(prev -> next) - heading| without folding: heading_to_next.py's (1 - reward) * 180, unfolded past 180 on row 4.
        Assert.Equal((1 - 0.9973392186603611) * 180, result.NewReward[0], 1e-9);
        Assert.Equal(360 - ((1 - 0.0011418363904842632) * 180), result.NewReward[2], 1e-9);
    }
}
