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
