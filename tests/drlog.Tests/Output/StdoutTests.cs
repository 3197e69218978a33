using System.Diagnostics;

namespace DrLog.Tests.Output;

/// <summary>
/// The real process writes large CSV and JSON straight to its stdout stream (the console writer would flush every 256
/// bytes): what a racer gets through a pipe must be exactly what the command writes to any other writer.
/// </summary>
public sealed class StdoutTests
{
    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    public async Task RealProcess_RedirectedStdout_SameTextAsInProcess(string format)
    {
        var sample = CliRunner.Sample("sample-drfc-3-logs");
        var (exit, expected, _) = await CliRunner.RunAsync("episodes", sample, "--format", format);
        Assert.Equal(0, exit);

        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "drlog.dll"));
        foreach (var arg in new[] { "episodes", sample, "--format", format })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        var stdout = await stdoutTask;
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, stderr);
        Assert.True(expected.Length > 100_000, $"the sample's table should be large enough to take several writes ({expected.Length} chars)");
        Assert.Equal(expected, stdout);
    }
}
