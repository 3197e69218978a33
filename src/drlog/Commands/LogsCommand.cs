using DeepRacer.Analysis.Catalog;
using DeepRacer.Analysis.Sources;
using Spectre.Console;

namespace DrLog.Commands;

/// <summary><c>drlog logs</c>: the log catalog (fetch from CloudWatch, import local logs, list, show, verify, delete).</summary>
internal static class LogsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("logs", "Log catalog: download CloudWatch logs, import local logs, and pick one to analyse by its id.");
        command.Add(Fetch(context));
        command.Add(Import(context));
        command.Add(List(context));
        command.Add(Show(context));
        command.Add(Verify(context));
        command.Add(Delete(context));
        return command;
    }

    private static Option<string> RootOption() => new("--root")
    {
        Description = "Catalog folder (default: $DRLOG_CATALOG or ./logs)",
        DefaultValueFactory = _ => CatalogSource.DefaultRoot,
    };

    /// <summary>A subcommand with the options every <c>logs</c> subcommand has: <c>--root</c> and <c>--verbose</c>.</summary>
    private static (Command Command, Option<string> Root) Subcommand(string name, string description)
    {
        var root = RootOption();
        return (new Command(name, description) { root, new Option<bool>("--verbose", "-v") { Description = "Show error details" } }, root);
    }

    private static Command Fetch(CliContext context)
    {
        var (command, root) = Subcommand("fetch", "Download training, evaluation and leaderboard logs from CloudWatch into the catalog; repairs incomplete downloads.");
        var source = new Option<LogOrigin>("--source") { Description = "Whose log groups: console, droa (DeepRacer on AWS), drfc (DeepRacer-for-Cloud) or all", DefaultValueFactory = _ => LogOrigin.All };
        var group = new Option<string>("--group") { Description = "One log group instead (robomaker, sagemaker, leaderboard, droa-training, droa-simulation, drfc)", DefaultValueFactory = _ => "all" };
        group.AcceptOnlyFromAmong([.. s_groups.Keys, "all"]);
        var from = new Option<string?>("--from") { Description = "Only logs with events on or after this date (UTC), e.g. 2022-06-01" };
        var to = new Option<string?>("--to") { Description = "Only logs with events on or before this date (UTC)" };
        var ids = new Option<string[]>("--id") { Description = "Only these job ids (sim-..., training job name, deepracerindy-...)", AllowMultipleArgumentsPerToken = true };
        var force = new Option<bool>("--force") { Description = "Download again even when the catalog has a complete copy" };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "CloudWatch Logs endpoint, e.g. http://127.0.0.1:4566" };
        var region = new Option<string?>("--region") { Description = "AWS region (default: profile or AWS_REGION)" };
        var profile = new Option<string?>("--profile") { Description = "AWS credentials profile (SSO profiles work too)" };
        var retries = new Option<int>("--max-retries") { Description = "Retries of a throttled, failed or dropped request (exponential back-off)", DefaultValueFactory = _ => 8 };
        foreach (var option in new Option[] { source, group, from, to, ids, force, endpoint, region, profile, retries })
        {
            command.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var request = new FetchRequest
            {
                Groups = s_groups.TryGetValue(parse.GetValue(group)!, out var one) ? [one] : LogCatalog.GroupsOf(parse.GetValue(source)),
                From = ParseDate(parse.GetValue(from), "--from", endOfDay: false),
                To = ParseDate(parse.GetValue(to), "--to", endOfDay: true),
                Ids = parse.GetValue(ids) ?? [],
                Force = parse.GetValue(force),
            };
            if (parse.GetValue(retries) is < 0 or > 30)
            {
                throw new UsageException("--max-retries must be between 0 and 30.");
            }

            var options = new CloudWatchOptions
            {
                EndpointUrl = parse.GetValue(endpoint),
                Region = parse.GetValue(region),
                Profile = parse.GetValue(profile),
                MaxRetries = parse.GetValue(retries),
            };
            using var client = await CloudWatchLogsClient.CreateAsync(options, ct).ConfigureAwait(false);
            var catalog = LogCatalog.Open(parse.GetValue(root)!);
            var results = await WithProgressAsync(context, "Downloading", p => catalog.FetchAsync(client, request, p, r => PrintResult(context, r), ct)).ConfigureAwait(false);
            return await ReportAsync(context, results, "fetched").ConfigureAwait(false);
        });
        return command;
    }

    private static readonly Dictionary<string, CloudWatchGroup> s_groups = new(StringComparer.Ordinal)
    {
        ["robomaker"] = CloudWatchGroup.Robomaker,
        ["sagemaker"] = CloudWatchGroup.Sagemaker,
        ["leaderboard"] = CloudWatchGroup.Leaderboard,
        ["droa-training"] = CloudWatchGroup.DroaTraining,
        ["droa-simulation"] = CloudWatchGroup.DroaSimulation,
        ["drfc"] = CloudWatchGroup.Drfc,
    };

    private static Command Import(CliContext context)
    {
        var (command, root) = Subcommand("import", "Import local training, evaluation and leaderboard logs into the catalog; - reads one log from standard input.");
        var paths = new Argument<string[]>("PATH") { Description = "Log files or folders of DRfC robomaker/sagemaker (or console/DROA) logs, or - for standard input (docker logs X 2>&1 | drlog logs import -)", Arity = ArgumentArity.OneOrMore };
        var name = new Option<string?>("--name") { Description = "File name for the log read from standard input (default: stdin.log); console and DROA names give id, time and type" };
        command.Add(paths);
        command.Add(name);
        command.SetAction(async (parse, ct) =>
        {
            var catalog = LogCatalog.Open(parse.GetValue(root)!);
            var given = parse.GetValue(paths)!;
            if (given.Contains("-"))
            {
                if (given.Length > 1)
                {
                    throw new UsageException("import -: standard input is one log; import files in another run.");
                }

                await using var stdin = Console.OpenStandardInput();
                var result = await catalog.ImportStreamAsync(stdin, parse.GetValue(name) ?? "stdin.log", ct).ConfigureAwait(false);
                PrintResult(context, result);
                return await ReportAsync(context, [result], "imported").ConfigureAwait(false);
            }

            if (parse.GetValue(name) is not null)
            {
                throw new UsageException("--name names the log read from standard input (PATH -); files keep their own names.");
            }

            var results = await WithProgressAsync(context, "Importing", p => catalog.ImportAsync(given, p, r => PrintResult(context, r), ct)).ConfigureAwait(false);
            return await ReportAsync(context, results, "imported").ConfigureAwait(false);
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var (command, root) = Subcommand("list", "List the catalogued logs, newest first.");
        var type = new Option<string?>("--type") { Description = "Only this log type" };
        type.AcceptOnlyFromAmong([.. CatalogLogType.All]);
        var model = new Option<string?>("--model") { Description = "Only logs of this model (case-insensitive)" };
        var all = new Option<bool>("--all-columns") { Description = "Every database column (default: a summary)" };
        var format = CommonOptions.CreateFormat();
        command.Add(type);
        command.Add(model);
        command.Add(all);
        command.Add(format);
        command.SetAction(async (parse, ct) =>
        {
            var catalog = LogCatalog.Open(parse.GetValue(root)!);
            await ReportMalformedAsync(context, catalog).ConfigureAwait(false);
            var entries = catalog.List()
                .Where(e => parse.GetValue(type) is not { } t || e.Row.LogType == t)
                .Where(e => parse.GetValue(model) is not { } m || string.Equals(e.Row.ModelName, m, StringComparison.OrdinalIgnoreCase))
                .ToList();
            var columns = parse.GetValue(all) ? CatalogTable.AllColumns : CatalogTable.SummaryColumns;
            await TableOutput.WriteAsync(context, CatalogTable.Build(entries, columns), parse.GetValue(format)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var (command, root) = Subcommand("show", "Every column of one catalogued log, and where its file is.");
        var id = new Argument<string>("ID") { Description = "Catalog id (sim-..., training job name) or key (evaluation-sim-...)" };
        var format = CommonOptions.CreateFormat();
        command.Add(id);
        command.Add(format);
        command.SetAction(async (parse, ct) =>
        {
            var catalog = LogCatalog.Open(parse.GetValue(root)!);
            var entry = catalog.Find(parse.GetValue(id)!) ?? throw new DeepRacerLogException($"{parse.GetValue(id)} is not in the catalog under {catalog.Root}; see 'drlog logs list'.");
            var format1 = parse.GetValue(format);
            if (format1 != OutputFormat.Table)
            {
                await TableOutput.WriteAsync(context, CatalogTable.Build([entry], [.. CatalogTable.AllColumns, "file"]), format1).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var fields = CatalogDatabase.Fields(entry.Row);
            var width = CatalogDatabase.Columns.Max(c => c.Length);
            await context.Out.WriteLineAsync($"{"source".PadRight(width)}  {entry.Database}").ConfigureAwait(false);
            for (var i = 0; i < fields.Count; i++)
            {
                await context.Out.WriteLineAsync($"{CatalogDatabase.Columns[i].PadRight(width)}  {fields[i]}").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"{"file".PadRight(width)}  {entry.FilePath}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify(CliContext context)
    {
        var (command, root) = Subcommand("verify", "Check every catalogued file against its row (size, SHA-256) and report interrupted downloads.");
        command.SetAction(async (parse, ct) =>
        {
            var catalog = LogCatalog.Open(parse.GetValue(root)!);
            await ReportMalformedAsync(context, catalog).ConfigureAwait(false);
            var problems = catalog.Verify();
            foreach (var p in problems)
            {
                await context.Out.WriteLineAsync($"incomplete  {p.Key}  {p.Problem}  ({p.Path})").ConfigureAwait(false);
            }

            var count = catalog.List().Count;
            if (problems.Count > 0)
            {
                throw new DeepRacerLogException($"{problems.Count} incomplete log(s) of {count}: run 'drlog logs fetch' (CloudWatch) or import the file again to repair.");
            }

            await context.Out.WriteLineAsync($"all {count} log(s) complete").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var (command, root) = Subcommand("delete", "Remove logs from the catalog (asks first unless --yes).");
        var ids = new Argument<string[]>("ID") { Description = "Catalog ids or keys", Arity = ArgumentArity.OneOrMore };
        var files = new Option<bool>("--files") { Description = "Delete the log files too (default: only the rows)" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation" };
        command.Add(ids);
        command.Add(files);
        command.Add(yes);
        command.SetAction(async (parse, ct) =>
        {
            var catalog = LogCatalog.Open(parse.GetValue(root)!);
            var wanted = parse.GetValue(ids)!;
            var entries = wanted.Select(i => catalog.Find(i) ?? throw new DeepRacerLogException($"{i} is not in the catalog under {catalog.Root}; see 'drlog logs list'.")).ToList();
            if (!parse.GetValue(yes))
            {
                var what = $"{entries.Count} log(s) ({string.Join(", ", entries.Select(e => e.Row.Key))}){(parse.GetValue(files) ? " and their files" : "")}";
                var terminal = context.Terminal;
                if (terminal is null && !Console.IsInputRedirected && context.ErrorIsTerminal)
                {
                    terminal = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), Interactive = InteractionSupport.Yes });
                }

                if (terminal is null)
                {
                    throw new UsageException($"delete {what}: not asking on a non-interactive terminal; pass --yes to delete.");
                }

                var confirm = new ConfirmationPrompt(Markup.Escape($"Delete {what}?")) { DefaultValue = false };
                if (!await confirm.ShowAsync(terminal, ct).ConfigureAwait(false))
                {
                    await context.Error.WriteLineAsync("drlog: nothing deleted.").ConfigureAwait(false);
                    return ExitCodes.Ok;
                }
            }

            foreach (var e in catalog.Delete(entries.Select(e => e.Row.Key), parse.GetValue(files)))
            {
                await context.Out.WriteLineAsync($"deleted  {e.Row.Key}{(parse.GetValue(files) ? "  " + e.FilePath : "")}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static DateTimeOffset? ParseDate(string? text, string option, bool endOfDay)
    {
        if (text is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            throw new UsageException($"{option} {text}: not a date; use e.g. 2022-06-01 or 2022-06-01T12:00:00Z.");
        }

        // A bare date in --to means the whole day.
        return endOfDay && date.TimeOfDay == TimeSpan.Zero && !text.Contains('T', StringComparison.Ordinal) ? date.AddDays(1).AddTicks(-1) : date;
    }

    private static async Task<int> ReportAsync(CliContext context, IReadOnlyList<CatalogItemResult> results, string verb)
    {
        var (done, skipped, failed) = CatalogSummary.Of(results);
        var summary = $"{done} {verb}, {skipped} already complete, {failed} failed";
        if (failed > 0)
        {
            throw new DeepRacerLogException($"{summary}: the failed logs are marked incomplete (what arrived is kept as .partial); run the same command again to repair them.");
        }

        await context.Error.WriteLineAsync($"drlog: {summary}.").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>One line per log as soon as its row is committed, so a killed run shows exactly what it saved.</summary>
    private static void PrintResult(CliContext context, CatalogItemResult r)
    {
        var status = r.Status?.ToString().ToLowerInvariant() ?? "-";
        var outcome = r.Outcome == CatalogOutcome.NoGroup ? "no-group" : r.Outcome.ToString().ToLowerInvariant();
        lock (context.Out)
        {
            context.Out.WriteLine($"{outcome,-8}  {r.Key}  {status}{(r.Message is { } m ? "  " + m : "")}");
            context.Out.Flush();
        }
    }

    private static async Task ReportMalformedAsync(CliContext context, LogCatalog catalog)
    {
        foreach (var (file, row) in catalog.Malformed())
        {
            await context.Error.WriteLineAsync($"drlog: warning: {file} line {row.Line}: {row.Problem}; the row is kept as it is, fix or delete it by hand.").ConfigureAwait(false);
        }
    }

    /// <summary>Runs a fetch or import with a progress bar on a terminal (one step per log).</summary>
    private static async Task<T> WithProgressAsync<T>(CliContext context, string title, Func<IProgress<CatalogProgress>, Task<T>> work)
    {
        if (!context.ErrorIsTerminal)
        {
            return await work(new Progress<CatalogProgress>(_ => { })).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes });
        T result = default!;
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask(title);
                var latest = new CatalogProgress("", 0, 1, 0);
                var gate = new Lock();
                var task = work(new SyncProgress(p =>
                {
                    lock (gate)
                    {
                        latest = p;
                    }
                }));
                while (!task.IsCompleted)
                {
                    CatalogProgress p;
                    lock (gate)
                    {
                        p = latest;
                    }

                    bar.MaxValue = Math.Max(1, p.Total);
                    bar.Value = p.Done;
                    // Short enough for an 80-column terminal next to the bar.
                    var item = p.Item.Length > 28 ? p.Item[..27] + "…" : p.Item;
                    bar.Description = Markup.Escape($"{title} {p.Done}/{p.Total} {item}{(p.Bytes > 0 ? $" {p.Bytes / 1024} KiB" : "")}");
                    await Task.WhenAny(task, Task.Delay(100)).ConfigureAwait(false);
                }

                result = await task.ConfigureAwait(false);
                bar.Value = bar.MaxValue;
            }).ConfigureAwait(false);
        return result;
    }

    private sealed class SyncProgress(Action<CatalogProgress> report) : IProgress<CatalogProgress>
    {
        public void Report(CatalogProgress value) => report(value);
    }
}
