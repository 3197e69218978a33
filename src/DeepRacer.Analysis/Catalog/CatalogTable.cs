using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Catalog;

/// <summary>Catalog entries as a typed table: numeric columns as numbers, the rest as text, with the database and file.</summary>
public static class CatalogTable
{
    /// <summary>The summary columns of a listing.</summary>
    public static IReadOnlyList<string> SummaryColumns { get; } = ["id", "log_type", "model_name", "world_name", "track", "last_event_timestamp", "status", "events"];

    /// <summary>Every database column, after <c>source</c> (the database: <c>cloudwatch</c> or <c>local_training</c>).</summary>
    public static IReadOnlyList<string> AllColumns { get; } = ["source", .. CatalogDatabase.Columns];

    private static readonly HashSet<string> s_numeric = new(StringComparer.Ordinal)
    {
        "max_steering_angle", "steering_angle_granularity", "max_speed", "speed_granularity", "batch_size", "beta_entropy", "discount_factor",
        "learning_rate", "num_epochs", "num_episodes_between_training", "n_trials", "training_job_duration", "events", "bytes",
    };

    /// <summary>True for the columns that hold numbers (sorted and written as numbers).</summary>
    public static bool IsNumeric(string column) => s_numeric.Contains(column);

    /// <summary>A table of <paramref name="entries"/> with <paramref name="columns"/>: database columns, <c>source</c> or <c>file</c>.</summary>
    public static Table Build(IReadOnlyList<CatalogEntry> entries, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(columns);
        var fields = entries.Select(e => CatalogDatabase.Fields(e.Row)).ToList();
        var result = new List<Column>();
        foreach (var name in columns)
        {
            var index = CatalogDatabase.Columns.ToList().IndexOf(name);
            string?[] text = name switch
            {
                "source" => [.. entries.Select(e => (string?)e.Database)],
                "file" => [.. entries.Select(e => (string?)e.FilePath)],
                _ when index < 0 => throw new ArgumentException($"{name} is not a catalog column.", nameof(columns)),
                _ => [.. fields.Select(f => f[index].Length == 0 ? null : f[index])],
            };
            result.Add(IsNumeric(name)
                ? new Column<double>(name, [.. text.Select(t => t is null ? double.NaN : double.Parse(t, CultureInfo.InvariantCulture))])
                : new Column<string?>(name, text));
        }

        return new Table(result);
    }
}
