using System.CommandLine.Parsing;
using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Metrics;
using DeepRacer.Analysis.Sources;
using Table = DeepRacer.Analysis.Tables.Table;

namespace DrLog.Commands;

/// <summary><c>drlog metrics</c>: the console-style training progress from the metrics JSON (spec 4), optionally live.</summary>
internal static class MetricsCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var sources = new Argument<string[]>("SOURCE")
        {
            Description = "Model folder, .tar.gz, s3://bucket/prefix or a TrainingMetrics .json file; several = rounds of one run (cloned models) in training order",
            Arity = ArgumentArity.OneOrMore,
        };
        var summary = new Option<bool>("--summary") { Description = "Per-iteration summary (default)" };
        var episodes = new Option<bool>("--episodes") { Description = "One row per metrics episode (r-i, round, iteration, master_iteration, episode, r-e, worker, trial, phase, reward, completion, time, complete, start_time)" };
        var phase = new Option<string?>("--phase") { Description = "With --episodes: only training or evaluation rows" };
        phase.AcceptOnlyFromAmong(MetricsPhase.Training.Name(), MetricsPhase.Evaluation.Name());
        var bestLaps = new Option<int?>("--best-laps") { HelpName = "K", Description = "The K fastest complete laps of training and of evaluation" };
        var progression = new Option<bool>("--progression") { Description = "The fastest complete lap of each iteration, training and evaluation" };
        var policy = new Option<bool>("--policy") { Description = "Policy updates per iteration from the trainer (sagemaker) log: surrogate loss, KL divergence, entropy, learning rate" };
        var trainerLog = new Option<string?>("--trainer-log") { HelpName = "FILE", Description = "Trainer log to read for --policy and the policy chart (DRfC: the saved sagemaker container log)" };
        var method = new Option<SummaryMethod>("--method") { Description = "How the summary aggregates an iteration's episodes", DefaultValueFactory = _ => SummaryMethod.Mean };
        var last = new Option<int?>("--last") { HelpName = "N", Description = "Only the last N summary rows" };
        var completedOnly = new Option<bool>("--completed-only") { Description = "Only complete laps" };
        var workers = IntList("--workers", "Only these workers, e.g. 0,2");
        var rounds = IntList("--rounds", "Only these rounds, e.g. 2,3");
        var race = new Option<bool>("--race") { Description = "Evaluation and submission results as DeepRacer on AWS scores them (metrics/{evaluation,submission}/*.json): best lap, best average, total, ranking" };
        var minLaps = new Option<int?>("--min-laps") { HelpName = "N", Description = "With --race: the race's minimum number of consecutive complete laps (default 1, as DROA's new race)" };
        var timing = new Option<string>("--timing") { Description = "With --race: ranking by avg (best average over --min-laps laps), best (lap) or total (time)", DefaultValueFactory = _ => "total" };
        timing.AcceptOnlyFromAmong("avg", "best", "total");
        var plot = new Option<string?>("--plot") { HelpName = "DIR", Description = "Write every chart as PNG and SVG into this folder" };
        var watch = new Option<bool>("--watch") { Description = "Poll the source and re-render the summary tail (and charts) when a new iteration appears; Ctrl+C ends" };
        var interval = new Option<TimeSpan>("--interval")
        {
            Description = "Poll interval for --watch, e.g. 30s, 2m, 500ms",
            HelpName = "DURATION",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
            CustomParser = ParseInterval,
        };
        var command = new Command("metrics", "Training progress from the metrics JSON: summary per iteration, episodes, best laps, charts, policy updates; --watch follows a running training.");
        command.Add(sources);
        command.Add(common.EndpointUrl);
        command.Add(common.Profile);
        command.Add(common.Region);
        command.Add(common.Verbose);
        command.Add(common.Catalog);
        command.Add(common.Format);
        foreach (var o in new Option[] { summary, episodes, phase, bestLaps, progression, policy, race, minLaps, timing, trainerLog, method, last, completedOnly, workers, rounds, plot, watch, interval })
        {
            command.Add(o);
        }

        command.Validators.Add(r =>
        {
            var views = new[] { r.GetValue(summary), r.GetValue(episodes), r.GetValue(bestLaps) is not null, r.GetValue(progression), r.GetValue(policy), r.GetValue(race) }.Count(v => v);
            if (views > 1)
            {
                r.AddError("Choose one of --summary, --episodes, --best-laps, --progression, --policy, --race.");
            }

            if (r.GetValue(minLaps) is < 1)
            {
                r.AddError("--min-laps must be 1 or more.");
            }

            if (r.GetValue(bestLaps) is < 1)
            {
                r.AddError("--best-laps must be 1 or more.");
            }

            if (r.GetValue(last) is < 1)
            {
                r.AddError("--last must be 1 or more.");
            }

            if (r.GetValue(last) is not null && (r.GetValue(episodes) || r.GetValue(bestLaps) is not null || r.GetValue(progression) || r.GetValue(policy)))
            {
                r.AddError("--last goes with the summary (and --watch).");
            }

            if (r.GetValue(phase) is not null && !r.GetValue(episodes))
            {
                r.AddError("--phase goes with --episodes.");
            }

            if (r.GetValue(watch) && (r.GetValue(episodes) || r.GetValue(bestLaps) is not null || r.GetValue(progression) || r.GetValue(policy)))
            {
                r.AddError("--watch shows the summary (and charts with --plot); drop --episodes, --best-laps, --progression and --policy.");
            }
        });

        command.SetAction(async (parse, ct) =>
        {
            var given = parse.GetValue(sources)!;
            var locations = given.Select(g => CatalogSource.Resolve(g, parse.GetValue(common.Catalog))).ToArray();
            for (var i = 0; i < given.Length; i++)
            {
                if (locations[i] != given[i] && locations[i].EndsWith(".log", StringComparison.Ordinal))
                {
                    // A catalog id names one log; the metrics live in the model's metrics JSON.
                    throw new DeepRacerLogException(
                        $"{given[i]} is a catalogued log ({locations[i]}); metrics come from the model's metrics JSON: give its folder, .tar.gz or s3:// prefix (a trainer log goes to --trainer-log).");
                }
            }

            var s3 = new S3Options { EndpointUrl = parse.GetValue(common.EndpointUrl), Profile = parse.GetValue(common.Profile), Region = parse.GetValue(common.Region) };
            var filter = new MetricsFilter
            {
                // An option that is not given reads as an empty list, which must mean "all", not "none".
                Workers = parse.GetValue(workers) is { Length: > 0 } w ? w : null,
                Rounds = parse.GetValue(rounds) is { Length: > 0 } r ? r : null,
                CompletedLapsOnly = parse.GetValue(completedOnly),
            };
            var format = parse.GetValue(common.Format);
            if (parse.GetValue(race))
            {
                var results = new List<RaceResult>();
                foreach (var location in locations)
                {
                    using var log = await DeepRacerLog.OpenAsync(location, s3, ct).ConfigureAwait(false);
                    results.AddRange(await RaceResult.LoadAsync(log.Source, log.Layout, parse.GetValue(minLaps) ?? 1, ct).ConfigureAwait(false));
                }

                if (results.Count == 0)
                {
                    throw new DeepRacerLogException($"No evaluation or submission metrics (metrics/evaluation/*.json, metrics/submission/*.json) in {string.Join(", ", locations)}.");
                }

                var timingMethod = parse.GetValue(timing) switch { "avg" => TimingMethod.Average, "best" => TimingMethod.Best, _ => TimingMethod.Total };
                await TableOutput.WriteAsync(context, RaceResult.ToTable(results, timingMethod), format).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var plotDir = parse.GetValue(plot);
            if (parse.GetValue(watch))
            {
                return await WatchAsync(context, locations, s3, filter, parse.GetValue(method), parse.GetValue(last) ?? 10, format, plotDir, parse.GetValue(trainerLog), parse.GetValue(interval), ct).ConfigureAwait(false);
            }

            var metrics = await TrainingMetrics.LoadAsync(locations, s3, ct).ConfigureAwait(false);
            IReadOnlyList<PolicyRound>? policyRounds = null;
            if (parse.GetValue(policy) || plotDir is not null)
            {
                policyRounds = await LoadPolicyAsync(locations, parse.GetValue(trainerLog), metrics, s3, ct).ConfigureAwait(false);
                if (parse.GetValue(policy) && policyRounds.Count == 0)
                {
                    throw new DeepRacerLogException(
                        $"No trainer log with 'Policy training>' lines in {string.Join(", ", locations)}: console exports have logs/training/*-sagemaker.log; for DRfC save the sagemaker container log and pass it with --trainer-log.");
                }
            }

            Table table;
            if (parse.GetValue(episodes))
            {
                table = metrics.ToTable(parse.GetValue(phase) is { } p ? MetricsPhaseNames.Parse(p) : null, filter);
            }
            else if (parse.GetValue(bestLaps) is { } k)
            {
                table = metrics.BestLapsTable(k, filter);
            }
            else if (parse.GetValue(progression))
            {
                table = metrics.BestLapProgression(filter);
            }
            else if (parse.GetValue(policy))
            {
                table = PolicyTraining.PerIteration(policyRounds!);
            }
            else
            {
                table = SummaryTable(metrics, parse.GetValue(method), filter, parse.GetValue(last));
            }

            await TableOutput.WriteAsync(context, table, format).ConfigureAwait(false);
            if (plotDir is not null)
            {
                await WriteChartsAsync(context, metrics, filter, policyRounds, plotDir).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<int> WatchAsync(
        CliContext context, string[] locations, S3Options s3, MetricsFilter filter, SummaryMethod method, int last, OutputFormat format, string? plotDir, string? trainerLog, TimeSpan interval, CancellationToken ct)
    {
        using var watcher = new MetricsWatcher(locations, s3);
        await context.Error.WriteLineAsync($"drlog: watching {string.Join(", ", locations)} every {interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; Ctrl+C ends.").ConfigureAwait(false);
        var shown = false;
        await foreach (var poll in watcher.WatchAsync(interval, ct).ConfigureAwait(false))
        {
            foreach (var file in poll.IncompleteFiles)
            {
                await context.Error.WriteLineAsync($"drlog: {file} is being written (incomplete JSON); retrying on the next poll.").ConfigureAwait(false);
            }

            if (poll.Warning is { } warning)
            {
                // Only the settings get their flags: the library's own advice (wait for an incomplete file) fits a watch.
                await context.Error.WriteLineAsync($"drlog: warning: {(poll.WarningCause is DeepRacerLogException d ? ErrorHints.Flags(d) : warning)}").ConfigureAwait(false);
            }

            if (poll.Metrics.Rows.Count == 0 || (shown && !poll.NewIteration))
            {
                continue;
            }

            shown = true;
            if (format == OutputFormat.Table)
            {
                await context.Out.WriteLineAsync(FormattableString.Invariant(
                    $"{DateTime.UtcNow:HH:mm:ss}Z  iteration {poll.Metrics.LatestMasterIteration}, {poll.Metrics.Training.Count()} training episodes")).ConfigureAwait(false);
            }

            await TableOutput.WriteAsync(context, SummaryTable(poll.Metrics, method, filter, last), format).ConfigureAwait(false);
            if (plotDir is not null)
            {
                IReadOnlyList<PolicyRound>? policy = null;
                try
                {
                    policy = await LoadPolicyAsync(locations, trainerLog, poll.Metrics, s3, ct).ConfigureAwait(false);
                }
                catch (DeepRacerLogException e)
                {
                    // The policy chart is a side view: a trainer log that cannot be read now must not end the watch.
                    await context.Error.WriteLineAsync($"drlog: warning: no policy chart this time: {ErrorHints.Message(e)}").ConfigureAwait(false);
                }

                await WriteChartsAsync(context, poll.Metrics, filter, policy, plotDir).ConfigureAwait(false);
            }
        }

        return ExitCodes.Ok;
    }

    private static Table SummaryTable(TrainingMetrics metrics, SummaryMethod method, MetricsFilter filter, int? last)
    {
        var rows = metrics.GetSummary(method, filter);
        if (last is { } n && n < rows.Count)
        {
            rows = [.. rows.Skip(rows.Count - n)];
        }

        return TrainingMetrics.SummaryTable(rows);
    }

    private static async Task<IReadOnlyList<PolicyRound>> LoadPolicyAsync(string[] locations, string? trainerLog, TrainingMetrics metrics, S3Options s3, CancellationToken ct)
    {
        if (trainerLog is not null)
        {
            if (!File.Exists(trainerLog))
            {
                throw new DeepRacerLogException($"--trainer-log {trainerLog} does not exist: give the saved sagemaker (trainer) log file.");
            }

            return await TrainerLog.LoadLastRoundAsync(trainerLog, metrics, s3, ct).ConfigureAwait(false);
        }

        return await TrainerLog.LoadRoundsAsync(locations, metrics, s3, ct).ConfigureAwait(false);
    }

    private static async Task WriteChartsAsync(CliContext context, TrainingMetrics metrics, MetricsFilter filter, IReadOnlyList<PolicyRound>? policy, string directory)
    {
        var written = new List<string>();
        foreach (var chart in MetricsCharts.All(metrics, filter, policy))
        {
            written.AddRange(ChartRenderer.Save(chart, directory));
        }

        await context.Error.WriteLineAsync($"drlog: wrote {written.Count} chart files to {directory} ({string.Join(", ", written.Select(Path.GetFileName))}).").ConfigureAwait(false);
    }

    private static Option<int[]?> IntList(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "LIST",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                // Not given: no filter (an empty list would filter everything out).
                return null;
            }

            var values = new List<int>();
            foreach (var token in result.Tokens)
            {
                foreach (var part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                    {
                        result.AddError($"{name} takes numbers separated by commas, e.g. {name} 0,1; '{part}' is not one.");
                        return null;
                    }

                    values.Add(v);
                }
            }

            return [.. values];
        },
    };

    internal static TimeSpan ParseInterval(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("", 1)];
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                // Task.Delay takes at most about 49 days.
                if (value > 0 && double.IsFinite(value) && value * seconds <= TimeSpan.FromDays(49).TotalSeconds)
                {
                    return TimeSpan.FromSeconds(value * seconds);
                }

                break;
            }
        }

        result.AddError($"--interval {text}: give a positive duration up to 49 days, such as 30s, 2m or 500ms.");
        return default;
    }
}
