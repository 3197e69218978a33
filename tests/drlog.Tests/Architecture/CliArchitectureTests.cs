using DeepRacer.Analysis.Tests.Architecture;

namespace DrLog.Tests.Architecture;

/// <summary>
/// The CLI's namespaces form layers too, checked on the compiled assembly as the library's are: what drlog writes
/// (tables, JSON, progress, error wording, exit codes) at the bottom, the commands above it, the entry point on top.
/// </summary>
public class CliArchitectureTests
{
    private const string Root = "DrLog";

    private static readonly Lazy<NamespaceGraph> s_graph = new(() => NamespaceGraph.Read([typeof(Cli).Assembly.Location], Root));

    [Fact]
    public void CliNamespaces_HaveNoCycles()
    {
        var cycles = s_graph.Value.Cycles();

        Assert.True(cycles.Count == 0, "namespace cycles: " + string.Join("; ", cycles.Select(c => string.Join(" <-> ", c))));
    }

    [Fact]
    public void CliNamespaces_UseOnlyLowerLayers()
    {
        string[] layers = [$"{Root}.Output", $"{Root}.Commands", Root];
        var graph = s_graph.Value;
        var problems = new List<string>();
        foreach (var from in graph.Edges.Keys)
        {
            var fromLayer = Array.IndexOf(layers, from);
            if (fromLayer < 0)
            {
                problems.Add($"{from} is in no layer: add it to the layers above");
                continue;
            }

            foreach (var to in graph.Uses(from).Where(u => Array.IndexOf(layers, u) >= fromLayer && u != from))
            {
                problems.Add($"{from} uses {to}, which is not below it; in {graph.Why(from, to)}");
            }
        }

        // The reader sees the CLI's edges, or the rules above would pass vacuously.
        Assert.Contains($"{Root}.Commands", graph.Uses(Root));
        Assert.Contains($"{Root}.Output", graph.Uses($"{Root}.Commands"));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
