using DeepRacer.Analysis.Catalog;

namespace DrLog.Commands;

/// <summary>Lets every analysis command take a catalog id as SOURCE (<c>drlog episodes sim-1j6vm0shdd15</c>).</summary>
internal static class CatalogSource
{
    /// <summary>The <c>--catalog</c> option of the analysis commands.</summary>
    public static Option<string?> CreateOption() => new("--catalog") { Description = "Log catalog folder for catalog ids (default: $DRLOG_CATALOG or ./logs)" };

    /// <summary>The catalog root: <c>DRLOG_CATALOG</c>, else <c>./logs</c>.</summary>
    public static string DefaultRoot => Environment.GetEnvironmentVariable("DRLOG_CATALOG") is { Length: > 0 } root ? root : "logs";

    /// <summary>The log file of a catalog id, or <paramref name="source"/> unchanged when it is a path or URI or no catalog knows it.</summary>
    /// <param name="source">The SOURCE argument.</param>
    /// <param name="root">The catalog folder (<c>--catalog</c>), else <see cref="DefaultRoot"/>.</param>
    public static string Resolve(string source, string? root = null)
    {
        if (source.Contains("://", StringComparison.Ordinal) || File.Exists(source) || Directory.Exists(source))
        {
            return source;
        }

        var catalog = LogCatalog.Open(root ?? DefaultRoot);
        if (!File.Exists(catalog.CloudWatch.Path) && !File.Exists(catalog.Local.Path))
        {
            // A catalog named on the command line that holds nothing is a mistake worth saying, not a silent "not found".
            return root is null ? source : throw new DeepRacerLogException($"--catalog {root} holds no log catalog (no db/*.csv): give the folder 'drlog logs fetch/import --root' wrote to.");
        }

        return catalog.Find(source) is { } entry ? entry.FilePath : source;
    }
}
