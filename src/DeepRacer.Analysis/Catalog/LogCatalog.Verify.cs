using System.Security.Cryptography;

namespace DeepRacer.Analysis.Catalog;

// Verify: checks catalogued files against their rows.
public sealed partial class LogCatalog
{
    private bool IsComplete(CatalogRow row, string database) => row.Status != CatalogStatus.Incomplete && Check(row, Path.Combine(FolderOf(database), row.FileName)) is null;

    /// <summary>What is wrong with a row's file, or null when it matches the row.</summary>
    private static string? Check(CatalogRow row, string path)
    {
        if (File.Exists(path + ".partial"))
        {
            return "a .partial download was left behind";
        }

        if (row.Status == CatalogStatus.Incomplete)
        {
            return row.StatusReason ?? "marked incomplete";
        }

        if (!File.Exists(path))
        {
            return "the file is missing";
        }

        var size = new FileInfo(path).Length;
        if (row.Bytes is { } bytes && size != bytes)
        {
            return $"size {size} bytes, the row says {bytes}";
        }

        if (row.Sha256 is { } sha)
        {
            using var stream = File.OpenRead(path);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (!actual.Equals(sha, StringComparison.OrdinalIgnoreCase))
            {
                return $"sha256 {actual[..12]}..., the row says {sha[..Math.Min(12, sha.Length)]}...";
            }
        }

        return null;
    }

    /// <summary>Checks every row's file (present, size, SHA-256, no <c>.partial</c>) and looks for stray <c>.partial</c> files.</summary>
    public IReadOnlyList<CatalogProblem> Verify()
    {
        var problems = new List<CatalogProblem>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in List())
        {
            known.Add(entry.FilePath + ".partial");
            if (Check(entry.Row, entry.FilePath) is { } problem)
            {
                problems.Add(new CatalogProblem(entry.Row.Key, entry.FilePath, problem));
            }
        }

        foreach (var database in new[] { CloudWatchDatabase, LocalDatabase })
        {
            var folder = FolderOf(database);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var partial in Directory.EnumerateFiles(folder, "*.partial").Where(p => !known.Contains(p)).Order(StringComparer.Ordinal))
            {
                problems.Add(new CatalogProblem(Path.GetFileName(partial), partial, "a .partial download without a row; the next fetch replaces it"));
            }
        }

        return problems;
    }

}
