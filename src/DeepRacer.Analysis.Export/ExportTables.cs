using DeepRacer.Analysis.Catalog;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Metrics;

namespace DeepRacer.Analysis.Export;

/// <summary>drlog's tables shaped to <see cref="ExportSchema"/>: the CLI's columns and types, in schema order.</summary>
public static class ExportTables
{
    /// <summary>The training steps as a table (<c>drlog steps</c>' columns), optionally only some rows.</summary>
    /// <exception cref="ArgumentException">The table is not training steps.</exception>
    public static Table Steps(StepTable steps, int[]? rows = null)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Kind != StepTableKind.Training)
        {
            throw new ArgumentException("Only training steps are exported.", nameof(steps));
        }

        return Conform(ExportSchema.Steps, steps.ToTable(rows ?? [.. Enumerable.Range(0, steps.RowCount)]));
    }

    /// <summary>The episodes as <c>drlog episodes --format json</c> computes them, with <c>unique_episode</c> and <c>worker</c> always present.</summary>
    public static Table Episodes(StepTable steps) => Conform(ExportSchema.Episodes, EpisodeTable.Aggregate(steps));

    /// <summary>Every metrics element (<c>drlog metrics --episodes</c>).</summary>
    public static Table Metrics(TrainingMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return Conform(ExportSchema.Metrics, metrics.ToTable());
    }

    /// <summary>
    /// The catalog entries with every database column (<c>drlog logs list --all-columns</c>'s types), then the columns a
    /// user added by hand to the CSV, as strings (null where a row has no value), in order of first appearance.
    /// </summary>
    public static Table Catalog(IReadOnlyList<CatalogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var known = Conform(ExportSchema.Catalog, CatalogTable.Build(entries, CatalogTable.AllColumns));
        var extra = entries.SelectMany(e => e.Row.Extra.Keys).Distinct(StringComparer.Ordinal).Where(k => !known.HasColumn(k));
        return new Table([
            .. known.Columns,
            .. extra.Select(k => new Column<string?>(k, [.. entries.Select(e => e.Row.Extra.TryGetValue(k, out var v) && v.Length > 0 ? v : null)])),
        ]);
    }

    /// <summary>
    /// Picks the schema's columns from a table, in schema order. A single-worker episode table lacks
    /// <c>unique_episode</c> and <c>worker</c>: they are <c>episode</c> and 0, as the library defines them.
    /// </summary>
    internal static Table Conform(string name, Table table)
    {
        var columns = new List<Column>();
        foreach (var c in ExportSchema.Columns(name))
        {
            Column column = table.HasColumn(c.Name) ? table[c.Name]
                : c.Name == "unique_episode" ? new Column<int>(c.Name, table.Get<int>("episode").ToArray())
                : c.Name == "worker" ? new Column<int>(c.Name, new int[table.RowCount])
                : throw new InvalidOperationException($"Table {name} has no column {c.Name}.");
            if (column.GetType().GetGenericArguments()[0] != c.Type)
            {
                throw new InvalidOperationException($"Column {name}.{c.Name} is {column.GetType().GetGenericArguments()[0].Name}, the schema says {c.Type.Name}.");
            }

            columns.Add(column);
        }

        return new Table(columns);
    }
}
