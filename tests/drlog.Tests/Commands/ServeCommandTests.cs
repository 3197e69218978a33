using System.Globalization;

namespace DrLog.Tests.Commands;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task MissingSource_IsOneLine_Exit1()
    {
        var missing = Path.Combine(Path.GetTempPath(), "drlog-no-such-model-" + Guid.NewGuid().ToString("N"));
        var (exit, stdout, stderr) = await CliRunner.RunAsync("serve", missing, "--port", "0");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith($"drlog: {missing} does not exist", Assert.Single(stderr.TrimEnd().Split('\n')), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--port", "70000", 2, "--port must be between 0 and 65535.")]
    [InlineData("--host", "my-laptop", 1, "'my-laptop' is not an IP address to bind")]
    public async Task BadOption_SaysWhatToDo(string option, string value, int code, string message)
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("serve", CliRunner.Sample("sample-drfc-1-logs"), option, value);

        Assert.Equal(code, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RewardFunction_Missing_IsOneLine_Exit1_AsForEpisodes()
    {
        var missing = Path.Combine(Path.GetTempPath(), "drlog-no-such-function-" + Guid.NewGuid().ToString("N") + ".py");
        var serve = await CliRunner.RunAsync("serve", CliRunner.Sample("sample-drfc-1-logs"), "--port", "0", "--reward-function", missing);
        var episodes = await CliRunner.RunAsync("episodes", CliRunner.Sample("sample-drfc-1-logs"), "--reward-function", missing);

        Assert.Equal(1, serve.Exit);
        Assert.Equal("", serve.Out);
        Assert.Equal($"drlog: Reward function file {missing} does not exist; give the path of a reward_function.py.", Assert.Single(serve.Err.TrimEnd().Split('\n')));
        Assert.Equal(episodes.Err, serve.Err);
    }

    [Fact]
    public async Task RewardFunction_WithoutItsInterpreter_SaysWhichFlag_Exit1()
    {
        var function = Path.Combine(CliRunner.Sample("sample-drfc-1-logs"), "reward_function.py");
        var (exit, stdout, stderr) = await CliRunner.RunAsync("serve", CliRunner.Sample("sample-drfc-1-logs"), "--port", "0", "--reward-function", function, "--python", "/nonexistent/python3");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("drlog: Python interpreter '/nonexistent/python3' could not be started (", line, StringComparison.Ordinal);
        Assert.EndsWith("(--python PATH).", line.TrimEnd('\r'), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serves_UntilCancelled_ThenStopsCleanly()
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        using var cancel = new CancellationTokenSource();
        var output = TextWriter.Synchronized(stdout);
        var run = Cli.RunAsync(["serve", CliRunner.Sample("sample-drfc-1-logs"), "--port", "0"], output, TextWriter.Synchronized(stderr), cancel.Token);
        for (var waited = 0; !output.ToString()!.Contains("Loaded ", StringComparison.Ordinal) && waited < 600 && !run.IsCompleted; waited++)
        {
            await Task.Delay(100);
        }

        // What Ctrl+C does (Program.cs cancels this token).
        await cancel.CancelAsync();
        var exit = await run;

        Assert.Equal(0, exit);
        Assert.Equal("", stderr.ToString());
        var lines = stdout.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Matches(@"^Serving 1 source\(s\) at http://127\.0\.0\.1:\d+/ \(Ctrl\+C stops\)\.$", lines[0]);

        // 27 iterations (0-26) of 20 episodes in training-simtrace/.
        Assert.Equal("Loaded sample-drfc-1-logs: 540 training episodes, latest iteration 26.", lines[1]);
        Assert.Equal("Stopped.", lines[^1]);
    }
}
