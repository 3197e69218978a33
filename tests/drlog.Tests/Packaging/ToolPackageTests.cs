using System.Diagnostics;

namespace DrLog.Tests.Packaging;

/// <summary>
/// Packs drlog as a .NET tool into a folder feed, installs it with <c>dotnet tool install</c> and runs the installed
/// command on a shipped sample, as a user would. The suite packs the framework-dependent build only: the Native AOT
/// package takes minutes to compile, so <c>tests/aot/run.sh</c> packs, installs and compares that one (CI runs it).
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("drlog-tool-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task PackedTool_InstallsFromAFolderFeed_AndReadsTheDrfcSample()
    {
        var feed = Path.Combine(_temp, "feed");
        var tools = Path.Combine(_temp, "tools");
        // Packs what the suite's build already compiled (no second build racing it), publishing into the temp folder
        // (a GB with every platform's native libraries). With no runtime list the tool is one framework-dependent
        // package: the build drlog.any holds, without the platform packages around it.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var (exit, output) = await RunAsync("dotnet", "pack", Path.Combine(CliRunner.Root, "src", "drlog", "drlog.csproj"), "-c", configuration, "--no-build", "-o", feed,
            "-p:ToolPackageRuntimeIdentifiers=", $"-p:PublishDir={Path.Combine(_temp, "publish")}/", "-nologo");
        Assert.True(exit == 0, output);
        var packages = Directory.GetFiles(feed, "*.nupkg").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["drlog.0.1.0.nupkg"], packages);

        // Only the feed as a source, and an empty NuGet cache: neither a package of the same name elsewhere nor a drlog
        // 0.1.0 cached by an earlier run can be installed instead of the one just packed.
        var config = Path.Combine(_temp, "nuget.config");
        await File.WriteAllTextAsync(config, $"""<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="feed" value="{feed}" /></packageSources></configuration>""");
        (exit, output) = await RunAsync("dotnet", "tool", "install", "--tool-path", tools, "--add-source", feed, "--configfile", config, "drlog");
        Assert.True(exit == 0, output);
        Assert.Contains("drlog", output, StringComparison.Ordinal);

        (exit, output) = await RunAsync(Path.Combine(tools, "drlog"), "episodes", CliRunner.Sample("sample-drfc-1-logs"), "--format", "csv");
        Assert.True(exit == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var complete = Array.IndexOf(header, "complete");
        // Hand-checked with awk over training-simtrace/*.csv: 540 (iteration, episode) pairs, 42 reaching progress 100.
        Assert.Equal("iteration", header[0]);
        Assert.Equal(540, lines.Length - 1);
        Assert.Equal(42, lines.Skip(1).Count(l => l.Split(',')[complete] == "1"));
    }

    private async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { WorkingDirectory = CliRunner.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        if (args is ["tool", ..])
        {
            start.Environment["NUGET_PACKAGES"] = Path.Combine(_temp, "packages");
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
