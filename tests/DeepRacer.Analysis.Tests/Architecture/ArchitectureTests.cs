using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Reports;

namespace DeepRacer.Analysis.Tests.Architecture;

/// <summary>
/// Keeps the library layered, checked on the compiled assembly (metadata and IL, not source text): every namespace
/// uses only the layers below it, so there are no cycles; the heavy or foreign packages stay where they belong. The
/// layers span the three library packages: the core (<c>DeepRacer.Analysis</c>), the chart renderer
/// (<c>DeepRacer.Analysis.Charts</c>) and the report (<c>DeepRacer.Analysis.Reports</c>).
/// </summary>
public class ArchitectureTests
{
    private const string Root = "DeepRacer.Analysis";

    /// <summary>
    /// The layers from the bottom up. A namespace may use the namespaces of lower layers only, never one of its own
    /// layer or above. A new namespace goes into the lowest layer that still sits above everything it uses.
    /// </summary>
    private static readonly (string Layer, string[] Namespaces)[] s_layers =
    [
        ("shared bottom types every layer may throw or name: the input-error exception and the folder layouts", ["Common"]),
        ("private helpers that know nothing of DeepRacer (UTF-8 numbers, lines, block reads); leaves, as Sep's Internals", ["Internal"]),
        ("the columnar step table, its columns and the episode statuses", ["Tables"]),
        ("reading: parsers of file contents (bytes in, tables and records out; never a file or a bucket) and the sources that find and open files (folder, .tar.gz, S3, CloudWatch)", ["Formats", "Sources"]),
        ("domain tables built from steps or files: episodes and stability, tracks and their resolution, training metrics", ["Episodes", "Tracks", "Metrics"]),
        ("analyses of episodes on a track (the notebooks' computations), the reward replay and the log catalog", ["Analyses", "Rewards", "Catalog"]),
        ("the facade a user starts from (DeepRacerLog, ModelInfo) and the load pipeline it drives", [""]),
        ("chart data computed from analyses and metrics, and its renderer (ScottPlot, in ChartRenderer only)", ["Charts"]),
        ("the HTML report (plotly.js), which puts everything together", ["Reports"]),
    ];

    private static readonly Lazy<NamespaceGraph> s_graph = new(() =>
        NamespaceGraph.Read([typeof(DeepRacerLog).Assembly.Location, typeof(ChartRenderer).Assembly.Location, typeof(HtmlReport).Assembly.Location], Root));

    /// <summary>Packages (by name prefix) that must not be in the core package's dependency closure.</summary>
    private static readonly string[] s_notInCore = ["SkiaSharp", "HarfBuzzSharp", "ScottPlot", "FSharp.Core", "Plotly"];

    [Fact]
    public void Namespaces_UseOnlyLowerLayers()
    {
        var layerOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < s_layers.Length; i++)
        {
            foreach (var ns in s_layers[i].Namespaces)
            {
                layerOf[ns.Length == 0 ? Root : $"{Root}.{ns}"] = i;
            }
        }

        var graph = s_graph.Value;
        var problems = new List<string>();
        foreach (var from in graph.Edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!layerOf.TryGetValue(from, out var fromLayer))
            {
                problems.Add($"{from} is in no layer: add it to s_layers, above every namespace it uses ({string.Join(", ", graph.Uses(from).Where(IsOwn))})");
                continue;
            }

            foreach (var to in graph.Uses(from).Where(IsOwn))
            {
                if (layerOf.TryGetValue(to, out var toLayer) && toLayer >= fromLayer)
                {
                    problems.Add($"{from} (layer {fromLayer}: {s_layers[fromLayer].Layer}) uses {to} (layer {toLayer}), which is not below it; in {graph.Why(from, to)}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Namespaces_HaveNoCycles()
    {
        var cycles = s_graph.Value.Cycles();

        Assert.True(cycles.Count == 0, "namespace cycles: " + string.Join("; ", cycles.Select(c => string.Join(" <-> ", c))));
    }

    [Fact]
    public void Graph_SeesTheKnownEdges()
    {
        // The reader must see references made only inside method bodies, or the rules above would pass vacuously.
        var graph = s_graph.Value;

        Assert.Contains($"{Root}.Formats", graph.Uses(Root));
        Assert.Contains($"{Root}.Internal", graph.Uses($"{Root}.Formats"));
        Assert.Contains("ScottPlot", graph.Uses($"{Root}.Charts"));
        Assert.Contains($"{Root}.Charts", graph.Uses($"{Root}.Reports"));
        Assert.True(graph.Edges.Count >= 12, $"only {graph.Edges.Count} namespaces read");
    }

    [Theory]
    [InlineData("Amazon.", "Sources.", "the AWS SDK is used by the sources only")]
    [InlineData("ScottPlot.", "Charts.ChartRenderer", "ScottPlot is used by the chart renderer only")]
    [InlineData("Plotly.", "(nowhere)", "Plotly.NET only carries plotly.js, which the report's build copies out of it")]
    [InlineData("SkiaSharp.", "Charts.ChartRenderer", "SkiaSharp is used by the chart renderer only")]
    [InlineData("Spectre.", "(nowhere)", "the library draws no console UI")]
    [InlineData("System.CommandLine.", "(nowhere)", "the library parses no command line")]
    [InlineData("Microsoft.AspNetCore.", "(nowhere)", "the library serves no web page")]
    public void ForeignPackages_StayInTheirPlace(string package, string allowedIn, string rule)
    {
        var offenders = s_graph.Value.TypeUses
            .Where(t => !t.Key.StartsWith($"{Root}.{allowedIn}", StringComparison.Ordinal))
            .SelectMany(t => t.Value.Where(u => u.StartsWith(package, StringComparison.Ordinal)).Select(u => $"{t.Key} uses {u}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(offenders.Count == 0, rule + ": " + string.Join("; ", offenders.Take(10)));
    }

    [Fact]
    public void Formats_DoNoFileOrNetworkIo()
    {
        string[] io =
        [
            "System.IO.File", "System.IO.FileInfo", "System.IO.FileStream", "System.IO.Directory", "System.IO.DirectoryInfo",
            "System.IO.FileSystemInfo", "System.IO.FileSystemWatcher", "System.IO.RandomAccess", "System.IO.MemoryMappedFiles.",
            "System.Net.", "Amazon.",
        ];
        var offenders = s_graph.Value.TypeUses
            .Where(t => t.Key.StartsWith($"{Root}.Formats.", StringComparison.Ordinal))
            .SelectMany(t => t.Value.Where(u => io.Any(p => u == p || (p.EndsWith('.') && u.StartsWith(p, StringComparison.Ordinal)))).Select(u => $"{t.Key} uses {u}"))
            .ToList();

        Assert.True(offenders.Count == 0, "parsers get bytes or text, never a file or a connection: " + string.Join("; ", offenders));
    }

    [Fact]
    public void Library_ReferencesNoCliConsoleOrWebAssembly()
    {
        var references = typeof(DeepRacerLog).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        Assert.Contains("AWSSDK.S3", references);
        Assert.DoesNotContain(references, r => r.StartsWith("System.CommandLine", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Spectre", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Core_DependsOnNoRendererAndNoFSharp()
    {
        var closure = PackageClosure.Of("DeepRacer.Analysis");

        Assert.Contains("AWSSDK.Core", closure); // transitive packages are read, so the rule below can fail
        var offenders = closure.Where(a => s_notInCore.Any(p => a.StartsWith(p, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.Ordinal).ToList();
        Assert.True(offenders.Count == 0, "DeepRacer.Analysis must load logs without native graphics or F#; its package pulls in " + string.Join(", ", offenders));
    }

    [Fact]
    public void PackageClosure_FindsTheRenderersPackages()
    {
        // The same reading on the renderer and the report: SkiaSharp is found where it is, and the report carries no F#.
        var charts = PackageClosure.Of("DeepRacer.Analysis.Charts");
        var reports = PackageClosure.Of("DeepRacer.Analysis.Reports");

        Assert.Contains("ScottPlot", charts);
        Assert.Contains("SkiaSharp", charts);
        Assert.DoesNotContain(reports, a => a.StartsWith("FSharp", StringComparison.OrdinalIgnoreCase) || a.StartsWith("Plotly", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsOwn(string ns) => ns == Root || ns.StartsWith(Root + ".", StringComparison.Ordinal);
}
