using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using DrLog.Output;

namespace DrLog.Tests.Packaging;

/// <summary>
/// Packs drlog as a .NET tool into a folder feed, installs it with <c>dotnet tool install</c> and runs the installed
/// command on a shipped sample, as a user would. The suite packs the framework-dependent build only: the Native AOT
/// package takes minutes to compile, so <c>tests/aot/run.sh</c> packs, installs and compares that one (CI runs it).
/// The framework-dependent package holds the files of drlog.any, the fallback published on nuget.org, so its size and
/// native libraries are checked here.
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
        AssertPublishableWithTheCommonNativeLibraries(Path.Combine(feed, packages[0]));
        AssertLicenseMatchesTheRepository(Path.Combine(feed, packages[0]));

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

        // A platform the package carries no native libraries for, made here by taking this one's out of the installed
        // tool (files and .deps.json entries alike, as the pack leaves the dropped ones): charts fail with one line, the
        // tables still work.
        var installed = Directory.GetFiles(Path.Combine(tools, ".store"), "drlog.deps.json", SearchOption.AllDirectories).Single();
        RemoveNativeLibraries(installed, RuntimeInformation.RuntimeIdentifier);
        (exit, output) = await RunAsync(Path.Combine(tools, "drlog"), "plot", "progress", CliRunner.Sample("sample-drfc-1-logs"), "-o", Path.Combine(_temp, "progress.png"));
        Assert.Equal(1, exit);
        var line = Assert.Single(output.TrimEnd().Split('\n'));
        Assert.StartsWith("drlog: could not load the native library 'libSkiaSharp'", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp, "progress.png")));
        (exit, output) = await RunAsync(Path.Combine(tools, "drlog"), "episodes", CliRunner.Sample("sample-drfc-1-logs"), "--format", "csv");
        Assert.True(exit == 0, output);
        Assert.Equal(541, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void MissingNativeLibrary_OnAPlatformThePackageLacks_SaysWhatStillWorks()
    {
        // The runtime's own wording, wrapped as it is when ScottPlot's static constructor loads Skia.
        var e = new TypeInitializationException("ScottPlot.Fonts", new DllNotFoundException(
            "Unable to load shared library 'libSkiaSharp' or one of its dependencies. In order to help diagnose loading problems, consider using a tool like strace."));

        var missing = Assert.IsType<DllNotFoundException>(ErrorHints.MissingNativeLibrary(e));
        var line = ErrorHints.Message(missing, "linux-arm");

        Assert.Equal(
            "this command needs the native library 'libSkiaSharp', which drlog carries for win-x64, win-arm64, osx, osx-x64, osx-arm64, linux-x64, linux-arm64, linux-musl-x64 but not for linux-arm; the tables, the report and the dashboard work without it.",
            line);
        Assert.Null(ErrorHints.MissingNativeLibrary(new InvalidOperationException("x")));
    }

    /// <summary>
    /// Under nuget.org's 250 MB limit, and the native libraries of exactly the runtimes kept: each runtime with what its
    /// packages ship (DuckDB and Parquet have no musl build; Skia, HarfBuzz and DuckDB put one universal library in osx),
    /// without the Windows libraries' debug symbols.
    /// </summary>
    private static void AssertPublishableWithTheCommonNativeLibraries(string package)
    {
        Assert.InRange(new FileInfo(package).Length, 1, 250L * 1000 * 1000);
        string[] skia = ["libSkiaSharp", "libHarfBuzzSharp"];
        string[] engines = ["duckdb", "ParquetSharpNative"];
        var expected = new[]
        {
            Natives("win-x64", ".dll", [.. skia, .. engines]),
            Natives("win-arm64", ".dll", [.. skia, .. engines]),
            Natives("osx", ".dylib", [.. skia, "libduckdb"]),
            Natives("osx-x64", ".dylib", ["ParquetSharpNative"]),
            Natives("osx-arm64", ".dylib", ["ParquetSharpNative"]),
            Natives("linux-x64", ".so", [.. skia, "libduckdb", "ParquetSharpNative"]),
            Natives("linux-arm64", ".so", [.. skia, "libduckdb", "ParquetSharpNative"]),
            Natives("linux-musl-x64", ".so", skia),
        }.SelectMany(n => n).Order(StringComparer.Ordinal);

        using var zip = ZipFile.OpenRead(package);
        var natives = zip.Entries.Select(e => e.FullName).Where(n => n.Contains("/runtimes/", StringComparison.Ordinal))
            .Select(n => n[(n.IndexOf("/runtimes/", StringComparison.Ordinal) + "/runtimes/".Length)..]).Order(StringComparer.Ordinal);
        Assert.Equal(expected, natives);
        // The list the error message names is the one the build kept.
        Assert.Equal(ErrorHints.NativeRuntimeIdentifiers.Order(StringComparer.Ordinal), natives.Select(n => n[..n.IndexOf('/', StringComparison.Ordinal)]).Distinct().Order(StringComparer.Ordinal));

        static IEnumerable<string> Natives(string runtime, string extension, string[] libraries) =>
            libraries.Select(l => $"{runtime}/native/{l}{extension}");
    }

    /// <summary>The license the package declares is the repository's LICENSE.</summary>
    private static void AssertLicenseMatchesTheRepository(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        using var reader = new StreamReader(zip.GetEntry("drlog.nuspec")!.Open());
        var nuspec = reader.ReadToEnd();
        Assert.Contains("""<license type="expression">MIT</license>""", nuspec, StringComparison.Ordinal);
        Assert.Equal("MIT License", File.ReadLines(Path.Combine(CliRunner.Root, "LICENSE")).First());
    }

    private static void RemoveNativeLibraries(string depsJson, string runtime)
    {
        var deps = JsonNode.Parse(File.ReadAllText(depsJson))!;
        foreach (var library in deps["targets"]!.AsObject().SelectMany(t => t.Value!.AsObject()))
        {
            if (library.Value?["runtimeTargets"] is JsonObject targets)
            {
                foreach (var file in targets.Where(f => (string?)f.Value!["rid"] == runtime).Select(f => f.Key).ToList())
                {
                    targets.Remove(file);
                }
            }
        }

        File.WriteAllText(depsJson, deps.ToJsonString());
        Directory.Delete(Path.Combine(Path.GetDirectoryName(depsJson)!, "runtimes", runtime), recursive: true);
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
