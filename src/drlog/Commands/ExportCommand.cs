using DeepRacer.Analysis.Catalog;
using DeepRacer.Analysis.Export;

namespace DrLog.Commands;

/// <summary><c>drlog export</c>: drlog's tables as Hive-partitioned Parquet in a folder or on S3, and the Athena DDL for them.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var sources = new Argument<string[]>("SOURCE")
        {
            Description = "Model folders, .tar.gz exports, s3://bucket/prefix or log catalog ids; each is one model",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string>("--output", "-o") { Description = "Export folder or s3://bucket/prefix", Required = true };
        var tables = new Option<string>("--tables")
        {
            Description = $"Tables to write, comma-separated: {string.Join(", ", ExportSchema.Tables)} (catalog: the log catalog of --catalog, needs no SOURCE)",
            DefaultValueFactory = _ => string.Join(',', ExportSchema.ModelTables),
        };
        var model = new Option<string?>("--model") { Description = "Model name (partition value) of the one SOURCE; default: its folder or prefix name" };
        var ddl = new Option<string?>("--ddl") { Description = "Print the CREATE TABLE statements for the export at --output (athena)" };
        var database = new Option<string>("--database") { Description = "Athena database for --ddl", DefaultValueFactory = _ => "drlog" };
        var command = new Command("export", "Write steps, episodes, metrics (table=T/model=M/...) and the log catalog (table=catalog/) as Parquet, for DuckDB, Spark and Athena; re-runs write only what changed.");
        command.Add(sources);
        command.Add(output);
        command.Add(tables);
        command.Add(model);
        command.Add(ddl);
        command.Add(database);
        common.AddConnectionTo(command, withFormat: false);
        command.Validators.Add(r =>
        {
            var count = r.GetValue(sources)?.Length ?? 0;
            var wanted = (r.GetValue(tables) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (count == 0 && r.GetValue(ddl) is null && !wanted.Contains(ExportSchema.Catalog))
            {
                r.AddError("Give at least one SOURCE to export (or --tables catalog, or --ddl athena).");
            }

            if (r.GetValue(model) is not null && count != 1)
            {
                r.AddError("--model names one SOURCE; without it each model is named after its folder.");
            }

            if (r.GetValue(ddl) is { } kind && kind != "athena")
            {
                r.AddError($"--ddl {kind}: only 'athena' is supported.");
            }

            foreach (var t in wanted)
            {
                if (!ExportSchema.Tables.Contains(t))
                {
                    r.AddError($"--tables {t}: no such table; tables are {string.Join(", ", ExportSchema.Tables)}.");
                }
            }
        });

        command.SetAction(async (parse, ct) =>
        {
            var s3 = common.S3(parse);
            var options = new ExportOptions
            {
                Tables = parse.GetValue(tables)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                S3 = s3,
            };
            using var target = ExportTarget.Create(parse.GetValue(output)!, s3);
            foreach (var source in parse.GetValue(sources) ?? [])
            {
                var name = parse.GetValue(model) ?? ParquetExporter.ModelNameOf(source);
                foreach (var r in await ParquetExporter.ExportAsync(CatalogSource.Resolve(source, parse.GetValue(common.Catalog)), name, target, options, ct).ConfigureAwait(false))
                {
                    await context.Out.WriteLineAsync(Describe(r)).ConfigureAwait(false);
                }
            }

            if (options.Tables.Contains(ExportSchema.Catalog))
            {
                var given = parse.GetValue(common.Catalog);
                var root = given ?? CatalogSource.DefaultRoot;
                var catalog = LogCatalog.Open(root);
                if (catalog.List().Count == 0)
                {
                    throw new DeepRacerLogException($"No log catalog entries in {root}: import or fetch logs first ('drlog logs import --root {root} PATH'){(given is null ? ", or give --catalog DIR" : "")}.");
                }

                await context.Out.WriteLineAsync(Describe(await ParquetExporter.ExportCatalogAsync(catalog, target, ct).ConfigureAwait(false))).ConfigureAwait(false);
            }

            if (parse.GetValue(ddl) is not null)
            {
                var models = await target.ListModelsAsync(ct).ConfigureAwait(false);
                await context.Out.WriteAsync(AthenaDdl.Create(target.Location, models, parse.GetValue(database)!)).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Describe(ExportResult r) => r.Skipped is { } why
        ? $"{r.Model} {r.Table}: skipped ({why})"
        : $"{(r.Model.Length > 0 ? r.Model + " " : "")}{r.Table}: {r.Rows} rows, {r.Written} file(s) written, {r.Unchanged} unchanged{(r.Deleted > 0 ? $", {r.Deleted} removed" : "")}";
}
