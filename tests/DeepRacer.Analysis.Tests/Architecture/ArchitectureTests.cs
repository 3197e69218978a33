using System.Reflection;

namespace DeepRacer.Analysis.Tests.Architecture;

/// <summary>Keeps data flowing one way: the library knows no CLI, console-UI or web package; parsers never open files or buckets.</summary>
public class ArchitectureTests
{
    private static readonly Assembly s_library = typeof(DeepRacerLog).Assembly;

    [Fact]
    public void Library_ReferencesNoCliConsoleOrWebAssembly()
    {
        var references = s_library.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        Assert.Contains("AWSSDK.S3", references);
        Assert.DoesNotContain(references, r => r.StartsWith("System.CommandLine", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Spectre", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Formats_NeverTouchFilesOrS3()
    {
        var root = FindRoot();
        var formats = Path.Combine(root, "src", "DeepRacer.Analysis", "Formats");
        var files = Directory.GetFiles(formats, "*.cs");

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.False(text.Contains("File.", StringComparison.Ordinal) && text.Contains("System.IO", StringComparison.Ordinal), $"{file} uses System.IO.File");
            Assert.DoesNotContain("FileStream", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Amazon.", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OnlySources_UseTheAwsSdk()
    {
        var offenders = s_library.GetTypes()
            .Where(t => t.Namespace is { } ns && !ns.EndsWith(".Sources", StringComparison.Ordinal))
            .Where(t => t.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                .Any(f => f.FieldType.Namespace?.StartsWith("Amazon", StringComparison.Ordinal) == true))
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(offenders);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "drlog.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("drlog.slnx not found");
    }
}
