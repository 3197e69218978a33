using System.Net;
using System.Text;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Reports;

/// <summary>
/// One self-contained HTML page: sections of key-value lists, interactive charts (plotly.js, inlined) and
/// sortable tables. No network reference: it opens offline, from a file or an e-mail attachment.
/// </summary>
public sealed class HtmlReport
{
    private readonly StringBuilder _body = new();
    private int _charts;
    private int _tables;

    /// <summary>Creates a report with a page title.</summary>
    public HtmlReport(string title) => Title = title;

    /// <summary>The page title.</summary>
    public string Title { get; }

    /// <summary>Number of charts added.</summary>
    public int ChartCount => _charts;

    /// <summary>Number of tables added.</summary>
    public int TableCount => _tables;

    /// <summary>Starts a section with a heading and an optional paragraph.</summary>
    /// <returns>The same report, for chaining.</returns>
    public HtmlReport Section(string heading, string? text = null)
    {
        _body.Append("<h2>").Append(Encode(heading)).Append("</h2>\n");
        if (text is not null)
        {
            Paragraph(text);
        }

        return this;
    }

    /// <summary>Adds a paragraph of text.</summary>
    /// <returns>The same report, for chaining.</returns>
    public HtmlReport Paragraph(string text)
    {
        _body.Append("<p>").Append(Encode(text)).Append("</p>\n");
        return this;
    }

    /// <summary>Adds a two-column list of names and values.</summary>
    /// <returns>The same report, for chaining.</returns>
    public HtmlReport KeyValues(IEnumerable<(string Name, string Value)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _body.Append("<dl class=\"kv\">");
        foreach (var (name, value) in items)
        {
            _body.Append("<dt>").Append(Encode(name)).Append("</dt><dd>").Append(Encode(value)).Append("</dd>");
        }

        _body.Append("</dl>\n");
        return this;
    }

    /// <summary>Adds an interactive chart.</summary>
    /// <returns>The same report, for chaining.</returns>
    public HtmlReport Chart(PlotlyFigure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var id = $"chart-{++_charts}";
        _body.Append("<div class=\"chart\" id=\"").Append(id).Append("\" data-title=\"").Append(Encode(figure.Title)).Append("\"></div>\n");
        // JSON inside a script element: "</" must not end the element early.
        _body.Append("<script type=\"application/json\" data-chart=\"").Append(id).Append("\">")
            .Append(figure.ToJson().Replace("</", "<\\/", StringComparison.Ordinal)).Append("</script>\n");
        return this;
    }

    /// <summary>Adds a table whose columns sort on click; at most <paramref name="maxRows"/> rows are shown.</summary>
    /// <returns>The same report, for chaining.</returns>
    public HtmlReport Table(Table table, string? caption = null, int maxRows = 1000)
    {
        ArgumentNullException.ThrowIfNull(table);
        _tables++;
        _body.Append("<div class=\"table-wrap\"><table class=\"sortable\">");
        if (caption is not null)
        {
            var shown = Math.Min(maxRows, table.RowCount);
            var note = shown < table.RowCount ? $" (first {shown} of {table.RowCount} rows)" : "";
            _body.Append("<caption>").Append(Encode(caption + note)).Append("</caption>");
        }

        _body.Append("<thead><tr>");
        foreach (var c in table.Columns)
        {
            var kind = c.Kind is ColumnKind.Integer or ColumnKind.Real ? "num" : "text";
            _body.Append("<th data-type=\"").Append(kind).Append("\" title=\"click to sort\">").Append(Encode(c.Name)).Append("</th>");
        }

        _body.Append("</tr></thead><tbody>\n");
        for (var row = 0; row < Math.Min(maxRows, table.RowCount); row++)
        {
            _body.Append("<tr>");
            foreach (var c in table.Columns)
            {
                if (c.Kind is ColumnKind.Integer or ColumnKind.Real)
                {
                    // Full precision for sorting, a short form for reading.
                    var value = c.AsDouble(row);
                    _body.Append("<td data-value=\"").Append(c.Format(row)).Append("\">")
                        .Append(double.IsFinite(value) ? value.ToString(c.Kind == ColumnKind.Integer ? "0" : "0.###", CultureInfo.InvariantCulture) : Encode(c.Format(row)))
                        .Append("</td>");
                }
                else
                {
                    _body.Append("<td>").Append(Encode(c.Format(row))).Append("</td>");
                }
            }

            _body.Append("</tr>\n");
        }

        _body.Append("</tbody></table></div>\n");
        return this;
    }

    /// <summary>The whole page.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder(PlotlyJs.Source.Length + _body.Length + 8192);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(Title)).Append("</title>\n<style>").Append(Style).Append("</style>\n")
            .Append("<script>").Append(PlotlyJs.Source).Append("</script>\n</head>\n<body>\n")
            .Append("<header><h1>").Append(Encode(Title)).Append("</h1><p class=\"by\">drlog report, plotly.js ").Append(PlotlyJs.Version)
            .Append(" inlined: this page needs no network.</p></header>\n<main>\n")
            .Append(_body)
            .Append("</main>\n<script>").Append(Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Writes the page atomically: a temp file beside the target, then a rename, so a crash never leaves half a report.</summary>
    /// <exception cref="DeepRacerLogException">The folder does not exist or cannot be written.</exception>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new DeepRacerLogException($"{folder} does not exist: create it or choose another -o path.");
        }

        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        var html = ToHtml();
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                writer.Write(html);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (UnauthorizedAccessException e)
        {
            TryDelete(temp);
            throw new DeepRacerLogException($"{full} cannot be written (permission denied); choose another -o path.", e);
        }
        catch (IOException e)
        {
            TryDelete(temp);
            throw new DeepRacerLogException($"{full} could not be written ({e.Message.TrimEnd('.')}); check the disk and the path.", e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the temp file has a leading dot and never looks like a report.
        }
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
        header { background: #232f3e; color: #fff; padding: 12px 24px; }
        header h1 { margin: 0; font-size: 1.4em; } header .by { margin: 4px 0 0; color: #c8c8c8; font-size: 0.85em; }
        main { padding: 8px 24px 40px; max-width: 1400px; }
        h2 { border-bottom: 2px solid #ff9900; padding-bottom: 4px; margin-top: 32px; }
        .chart { width: 100%; height: 460px; background: #fff; margin: 12px 0; border: 1px solid #e3e3e3; }
        dl.kv { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; }
        dl.kv dt { font-weight: 600; } dl.kv dd { margin: 0; font-family: ui-monospace, monospace; }
        .table-wrap { max-height: 520px; overflow: auto; border: 1px solid #e3e3e3; background: #fff; margin: 12px 0; }
        table.sortable { border-collapse: collapse; font-size: 0.85em; width: auto; min-width: 50%; }
        table.sortable caption { text-align: left; padding: 6px; font-weight: 600; }
        table.sortable th { position: sticky; top: 0; background: #f0f0f0; cursor: pointer; padding: 4px 8px; text-align: right; white-space: nowrap; }
        table.sortable th[aria-sort=ascending]::after { content: " \25B2"; } table.sortable th[aria-sort=descending]::after { content: " \25BC"; }
        table.sortable td { padding: 2px 8px; text-align: right; border-top: 1px solid #f0f0f0; font-variant-numeric: tabular-nums; }
        """;

    private const string Script = """
        (function () {
          document.querySelectorAll('script[data-chart]').forEach(function (s) {
            var figure = JSON.parse(s.textContent);
            Plotly.newPlot(document.getElementById(s.dataset.chart), figure.data, figure.layout, { responsive: true, displaylogo: false });
          });
          document.querySelectorAll('table.sortable').forEach(function (table) {
            var heads = table.tHead.rows[0].cells;
            Array.prototype.forEach.call(heads, function (th, col) {
              th.addEventListener('click', function () {
                var asc = th.getAttribute('aria-sort') !== 'ascending';
                Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
                th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
                var numeric = th.dataset.type === 'num';
                var body = table.tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                function key(r) {
                  var c = r.cells[col];
                  if (!numeric) { return c.textContent; }
                  var v = parseFloat(c.dataset.value);
                  return isNaN(v) ? null : v;
                }
                rows.sort(function (a, b) {
                  var x = key(a), y = key(b);
                  if (x === null) { return y === null ? 0 : 1; }
                  if (y === null) { return -1; }
                  var d = numeric ? x - y : (x < y ? -1 : x > y ? 1 : 0);
                  return asc ? d : -d;
                });
                rows.forEach(function (r) { body.appendChild(r); });
              });
            });
          });
        })();
        """;
}
