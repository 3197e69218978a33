using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Web;

/// <summary>JSON pieces the API answers are made of.</summary>
internal static class Json
{
    /// <summary>
    /// Appends a node. <c>JsonArray.Add(value)</c> binds to its generic, reflection-based overload (not trim- or
    /// AOT-safe) for anything not typed <see cref="JsonNode"/>; here numbers, strings and booleans convert implicitly.
    /// </summary>
    public static void Append(this JsonArray array, JsonNode? node) => array.Add(node);

    /// <summary>A number, or null for NaN and infinities (JSON has neither).</summary>
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    public static JsonArray Numbers(IEnumerable<double> values) => [.. values.Select(Number)];

    /// <summary>The values of these rows, rounded to <paramref name="digits"/> decimals when given (positions to the millimetre).</summary>
    public static JsonArray Numbers(ReadOnlySpan<float> values, ReadOnlySpan<int> rows, int? digits = null)
    {
        var array = new JsonArray();
        foreach (var r in rows)
        {
            array.Add(Number(digits is { } d ? Math.Round(values[r], d) : values[r]));
        }

        return array;
    }

    public static JsonArray Numbers(ReadOnlySpan<double> values, ReadOnlySpan<int> rows)
    {
        var array = new JsonArray();
        foreach (var r in rows)
        {
            array.Add(Number(values[r]));
        }

        return array;
    }

    /// <summary>One cell of a result table.</summary>
    public static JsonNode? Cell(Column column, int row) => column.Kind switch
    {
        ColumnKind.Text => column.AsText(row) is { } text ? JsonValue.Create(text) : null,
        _ => Number(column.AsDouble(row)),
    };

    /// <summary>A table as <c>{"columns": [...], "rows": [[...], ...]}</c>, with these rows (all by default).</summary>
    public static JsonObject Table(Table table, IEnumerable<int>? rows = null, IReadOnlyList<string>? columns = null)
    {
        var picked = columns is null ? table.Columns : [.. columns.Where(table.HasColumn).Select(c => table[c])];
        var data = new JsonArray();
        foreach (var r in rows ?? Enumerable.Range(0, table.RowCount))
        {
            data.Append(new JsonArray([.. picked.Select(c => Cell(c, r))]));
        }

        return new JsonObject
        {
            ["columns"] = new JsonArray([.. picked.Select(c => (JsonNode?)JsonValue.Create(c.Name))]),
            ["rows"] = data,
        };
    }

    /// <summary>The figures of a chart, one per panel, as plotly.js JSON.</summary>
    public static JsonArray Figures(ChartData chart) =>
        [.. Reports.Figures.From(chart).Select(f => JsonNode.Parse(f.ToJson()))];

    public static JsonArray Figures(ChartPanel panel) => [JsonNode.Parse(Reports.Figures.From(panel).ToJson())];

    /// <summary>An error body: <c>{"error": "..."}</c>.</summary>
    public static string Error(string message) => new JsonObject { ["error"] = message }.ToJsonString();
}
