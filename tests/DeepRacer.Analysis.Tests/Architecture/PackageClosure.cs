using System.Text.Json;

namespace DeepRacer.Analysis.Tests.Architecture;

/// <summary>
/// Every NuGet package a project of <c>src/</c> depends on, directly or transitively: the <c>libraries</c> that restore
/// wrote to its <c>obj/project.assets.json</c>. These are the packages a user of its NuGet package gets too, whether or
/// not the compiled assembly names them.
/// </summary>
internal static class PackageClosure
{
    public static IReadOnlySet<string> Of(string project)
    {
        var assets = Path.Combine(TestSupport.RepoRoot, "src", project, "obj", "project.assets.json");
        using var json = JsonDocument.Parse(File.ReadAllBytes(assets));
        return json.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(l => l.Value.GetProperty("type").GetString() == "package")
            .Select(l => l.Name[..l.Name.IndexOf('/', StringComparison.Ordinal)])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
