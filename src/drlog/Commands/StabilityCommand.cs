using System.Text.Json;
using DeepRacer.Analysis.Episodes;
using Spectre.Console;

namespace DrLog.Commands;

/// <summary><c>drlog stability</c>: is the simulator fast and steady enough (spec 7.7)?</summary>
internal static class StabilityCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var evaluation = common.Evaluation;
        var trace = common.Trace;
        var command = new Command("stability", "Step timing per worker and iteration: mean, max, 95th percentile, spread, real-time factor, policy time.");
        common.AddTo(command);
        command.Add(evaluation);
        command.Add(trace);
        command.SetAction(async (parse, ct) =>
        {
            var kind = common.StepKind(parse);
            using var log = await common.OpenAsync(parse, ct).ConfigureAwait(false);
            var report = await CommonOptions.LoadStabilityAsync(context, log, kind, parse.GetValue(trace), ct).ConfigureAwait(false);
            var format = parse.GetValue(common.Format);
            if (format == OutputFormat.Json)
            {
                await WriteJsonAsync(context, report).ConfigureAwait(false);
            }
            else
            {
                await TableOutput.WriteAsync(context, report.Groups, format).ConfigureAwait(false);
                if (format == OutputFormat.Table && report.Overall.Count == 0)
                {
                    await context.Out.WriteLineAsync("No simtrace data found: no step intervals to time (episodes of one row only?).").ConfigureAwait(false);
                }
                else if (format == OutputFormat.Table)
                {
                    var o = report.Overall;
                    var console = TableOutput.Console(context);
                    console.MarkupLine(Markup.Escape(FormattableString.Invariant(
                        $"OVERALL: {o.Count} intervals, avg {o.AvgMs:0.0} ms, std {o.StdMs:0.0} ms, max {o.MaxMs:0.0} ms, p95 {o.P95Ms:0.0} ms, rtf {(o.Rtf is { } r ? r.ToString("0.000", CultureInfo.InvariantCulture) : "n/a")}")));
                    console.MarkupLine(o.IsTooSlow
                        ? "[yellow]The simulator is slow (mean > 70 ms or p95 > 90 ms per step at a 66.7 ms target): training is likely hurt.[/]"
                        : "[green]Step timing is within the 66.7 ms target's tolerance (mean <= 70 ms, p95 <= 90 ms).[/]");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task WriteJsonAsync(CliContext context, StabilityReport report)
    {
        await JsonOutput.WriteAsync(context.Out, json =>
        {
            json.WriteStartObject();
            json.WritePropertyName("groups");
            json.WriteStartArray();
            for (var row = 0; row < report.Groups.RowCount; row++)
            {
                json.WriteStartObject();
                foreach (var c in report.Groups.Columns)
                {
                    json.WritePropertyName(c.Name);
                    TableOutput.WriteValue(json, c, row);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            var o = report.Overall;
            json.WritePropertyName("overall");
            json.WriteStartObject();
            json.WriteNumber("count", o.Count);
            Number(json, "avg_ms", o.AvgMs);
            Number(json, "std_ms", o.StdMs);
            Number(json, "max_ms", o.MaxMs);
            Number(json, "p95_ms", o.P95Ms);
            Number(json, "rtf", o.Rtf);
            Number(json, "train_time_s", o.TrainTimeS);
            Number(json, "policy_time_s", o.PolicyTimeS);
            Number(json, "ratio", o.Ratio);
            json.WriteEndObject();
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
