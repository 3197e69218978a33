using System.Buffers;
using System.Text;
using System.Text.Json;
using DeepRacer.Analysis.Tables;
using Spectre.Console;
using SpectreTable = Spectre.Console.Table;
using Table = DeepRacer.Analysis.Tables.Table;

namespace DrLog.Output;

/// <summary>Prints a result <see cref="Table"/> as a console table, CSV or JSON.</summary>
internal static class TableOutput
{
    public static async Task WriteAsync(CliContext context, Table table, OutputFormat format, IReadOnlyCollection<string>? hiddenInTable = null)
    {
        switch (format)
        {
            case OutputFormat.Csv:
                await WriteCsvAsync(context, table).ConfigureAwait(false);
                break;
            case OutputFormat.Json:
                await WriteJsonAsync(context.Out, table).ConfigureAwait(false);
                break;
            default:
                WriteTable(context, table, hiddenInTable ?? []);
                break;
        }
    }

    public static IAnsiConsole Console(CliContext context)
    {
        if (context.OutIsTerminal)
        {
            return AnsiConsole.Console;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(context.Out),
        });

        // Redirected output has no width; wide tables should not wrap.
        console.Profile.Width = 400;
        return console;
    }

    private static void WriteTable(CliContext context, Table table, IReadOnlyCollection<string> hidden)
    {
        var columns = table.Columns.Where(c => !hidden.Contains(c.Name)).ToList();
        var grid = new SpectreTable().Border(TableBorder.Rounded);
        foreach (var c in columns)
        {
            var column = new TableColumn(Markup.Escape(c.Name));
            if (c.Kind is ColumnKind.Integer or ColumnKind.Real)
            {
                column.RightAligned();
            }

            grid.AddColumn(column);
        }

        for (var row = 0; row < table.RowCount; row++)
        {
            grid.AddRow(columns.Select(c => Markup.Escape(Display(c, row))).ToArray());
        }

        var console = Console(context);
        console.Write(grid);
        console.MarkupLine($"[grey]{table.RowCount} row(s)[/]");
    }

    /// <summary>Short form for people (<see cref="Short"/>); the CSV and JSON keep full precision.</summary>
    private static string Display(Column c, int row) =>
        c.Kind == ColumnKind.Real && !c.IsMissing(row) && double.IsFinite(c.AsDouble(row))
            ? Short(c.AsDouble(row))
            : c.Format(row);

    /// <summary>
    /// A real for a table cell: at most 3 decimals, but at least 3 significant digits, so small values keep their meaning
    /// (a learning rate of 0.0003 stays 0.0003, not 0).
    /// </summary>
    internal static string Short(double value) =>
        value == 0 || Math.Abs(value) >= 0.1
            ? value.ToString("0.###", CultureInfo.InvariantCulture)
            : value.ToString("G3", CultureInfo.InvariantCulture);

    private static async Task WriteCsvAsync(CliContext context, Table table)
    {
        var writer = context.Out;
        var line = new StringBuilder();
        line.AppendJoin(',', table.Columns.Select(c => Quote(c.Name)));
        await writer.WriteLineAsync(line.ToString()).ConfigureAwait(false);

        // Rows are formatted into large buffers, a few blocks at a time in parallel (number formatting is most of a large
        // CSV's time), and written in order: no string per cell, no write per row (the console flushes every write).
        var quoted = table.Columns.Select(c => c.Kind is not (ColumnKind.Integer or ColumnKind.Real)).ToArray();
        var blocks = (table.RowCount + CsvBlockRows - 1) / CsvBlockRows;
        var batch = Math.Max(1, Environment.ProcessorCount) * 2;
        var formatted = new char[batch][];
        var lengths = new int[batch];
        for (var first = 0; first < blocks; first += batch)
        {
            var count = Math.Min(batch, blocks - first);
            Parallel.For(0, count, b => (formatted[b], lengths[b]) = FormatBlock(table, quoted, (first + b) * CsvBlockRows, writer.NewLine, formatted[b]));
            for (var b = 0; b < count; b++)
            {
                await context.WriteBulkAsync(formatted[b].AsMemory(0, lengths[b])).ConfigureAwait(false);
            }
        }

        await writer.FlushAsync().ConfigureAwait(false);
    }

    // About 1 MB of text per block.
    private const int CsvBlockRows = 4096;

    /// <summary>The CSV lines of one block of rows, into <paramref name="buffer"/> (grown when short).</summary>
    private static (char[] Buffer, int Length) FormatBlock(Table table, bool[] quoted, int firstRow, string newLine, char[]? buffer)
    {
        buffer ??= new char[1 << 20];
        var used = 0;
        var end = Math.Min(table.RowCount, firstRow + CsvBlockRows);
        for (var row = firstRow; row < end; row++)
        {
            int written;
            while (!TryAppendRow(table, quoted, row, newLine, buffer.AsSpan(used), out written))
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            used += written;
        }

        return (buffer, used);
    }

    /// <summary>
    /// One CSV row and its line end into <paramref name="destination"/>; false when it does not fit. Only the columns
    /// flagged in <paramref name="mayNeedQuotes"/> are searched for characters that need quotes (numbers never do).
    /// </summary>
    private static bool TryAppendRow(Table table, bool[] mayNeedQuotes, int row, string newLine, Span<char> destination, out int written)
    {
        written = 0;
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (i > 0)
            {
                if (written == destination.Length)
                {
                    return false;
                }

                destination[written++] = ',';
            }

            var column = table.Columns[i];
            if (!column.TryFormat(row, destination[written..], out var cell))
            {
                return false;
            }

            if (mayNeedQuotes[i] && destination.Slice(written, cell).ContainsAny(s_csvSpecial))
            {
                var quoted = Quote(column.Format(row));
                if (!quoted.AsSpan().TryCopyTo(destination[written..]))
                {
                    return false;
                }

                cell = quoted.Length;
            }

            written += cell;
        }

        if (!newLine.AsSpan().TryCopyTo(destination[written..]))
        {
            return false;
        }

        written += newLine.Length;
        return true;
    }

    private static readonly SearchValues<char> s_csvSpecial = SearchValues.Create(",\"\n\r");

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task WriteJsonAsync(TextWriter writer, Table table)
    {
        await JsonOutput.WriteAsync(writer, json =>
        {
            json.WriteStartArray();
            for (var row = 0; row < table.RowCount; row++)
            {
                json.WriteStartObject();
                foreach (var c in table.Columns)
                {
                    json.WritePropertyName(c.Name);
                    WriteValue(json, c, row);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }).ConfigureAwait(false);
    }

    public static void WriteValue(Utf8JsonWriter json, Column c, int row)
    {
        switch (c.Kind)
        {
            case ColumnKind.Text:
                if (c.AsText(row) is { } text)
                {
                    json.WriteStringValue(text);
                }
                else
                {
                    json.WriteNullValue();
                }

                break;
            case ColumnKind.Boolean:
                json.WriteBooleanValue(c.AsDouble(row) != 0);
                break;
            default:
                // JSON has no NaN or infinity: both become null.
                var value = c.AsDouble(row);
                if (double.IsFinite(value))
                {
                    json.WriteRawValue(c.Format(row), skipInputValidation: true);
                }
                else
                {
                    json.WriteNullValue();
                }

                break;
        }
    }
}
