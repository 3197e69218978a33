using System.Globalization;
using System.Runtime.CompilerServices;

namespace DeepRacer.Analysis.Tests;

/// <summary>Shared helpers: the repository root, the samples and temporary folders.</summary>
internal static class TestSupport
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    [ModuleInitializer]
    internal static void PinCulture()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
    }

    /// <summary>The folder holding drlog.slnx, found by walking up from the test binaries.</summary>
    public static string RepoRoot => s_root.Value;

    public static string Sample(string name) => Path.Combine(RepoRoot, "samples", name);

    public static string Fixture(string name) => Path.Combine(RepoRoot, "tests", "DeepRacer.Analysis.Tests", "Fixtures", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "drlog.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("drlog.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Installs a Debian package the tests need, as root (as on CI), the way a fresh machine gets it.</summary>
internal static class AptGet
{
    /// <summary>Runs <c>apt-get update</c> and <c>apt-get install -y PACKAGE</c>; without root, says what to install.</summary>
    /// <param name="package">The package.</param>
    /// <param name="missing">What is missing, for the message when not root.</param>
    public static async Task InstallAsync(string package, string missing)
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{missing}: install Debian's {package} package (apt-get install {package}).");
        }

        foreach (var args in new[] { "update -qq", $"install -y -qq {package}" })
        {
            var start = new System.Diagnostics.ProcessStartInfo("apt-get", args) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var process = System.Diagnostics.Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"apt-get {args} failed: {await stderr}");
            }
        }
    }
}

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "drlog-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string relative, string text)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
