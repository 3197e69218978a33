namespace DeepRacer.Analysis.Catalog;

// Delete: removes rows and files.
public sealed partial class LogCatalog
{
    /// <summary>Removes rows (by id or key) and, with <paramref name="deleteFiles"/>, their files.</summary>
    /// <exception cref="DeepRacerLogException">An id is not in the catalog.</exception>
    public IReadOnlyList<CatalogEntry> Delete(IEnumerable<string> ids, bool deleteFiles)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var entries = ids.Select(id => Find(id) ?? throw new DeepRacerLogException($"{id} is not in the catalog under {Root}; List() gives its entries.")).ToList();
        foreach (var group in entries.GroupBy(e => e.Database))
        {
            var keys = group.Select(e => e.Row.Key).ToHashSet(StringComparer.Ordinal);
            DatabaseOf(group.Key).Update(rows => rows.RemoveAll(r => keys.Contains(r.Key)));
        }

        if (deleteFiles)
        {
            foreach (var e in entries)
            {
                File.Delete(e.FilePath);
                File.Delete(e.FilePath + ".partial");
            }
        }

        return entries;
    }
}
