using DeepRacer.Analysis.Catalog;

namespace DrLog.Commands;

/// <summary>Lets every analysis command take a catalog id as SOURCE (<c>drlog episodes sim-1j6vm0shdd15</c>).</summary>
internal static class CatalogSource
{
    /// <summary>The catalog root: <c>DRLOG_CATALOG</c>, else <c>./logs</c>.</summary>
    public static string DefaultRoot => Environment.GetEnvironmentVariable("DRLOG_CATALOG") is { Length: > 0 } root ? root : "logs";

    /// <summary>The log file of a catalog id, or <paramref name="source"/> unchanged when it is a path or URI or no catalog knows it.</summary>
    public static string Resolve(string source)
    {
        if (source.Contains("://", StringComparison.Ordinal) || File.Exists(source) || Directory.Exists(source))
        {
            return source;
        }

        var catalog = LogCatalog.Open(DefaultRoot);
        if (!File.Exists(catalog.CloudWatch.Path) && !File.Exists(catalog.Local.Path))
        {
            return source;
        }

        return catalog.Find(source) is { } entry ? entry.FilePath : source;
    }
}
