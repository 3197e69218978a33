using Spectre.Console;
using DrLog.Commands;

namespace DrLog;

/// <summary>Builds the command tree and runs it; the only place that turns exceptions into messages and exit codes.</summary>
public static class Cli
{
    /// <summary>Runs drlog with these arguments, writing to these writers; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(args, stdout, stderr, null, cancellationToken);

    /// <summary>Runs drlog as <see cref="RunAsync(string[], TextWriter, TextWriter, CancellationToken)"/>, asking questions on <paramref name="terminal"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IAnsiConsole? terminal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(stdout, stderr) { Terminal = terminal };
        var root = new RootCommand("drlog: AWS DeepRacer log analysis. Load training, evaluation and leaderboard logs from a folder, a .tar.gz export or S3/MinIO.")
        {
            InfoCommand.Create(context),
            EpisodesCommand.Create(context),
            StepsCommand.Create(context),
            StabilityCommand.Create(context),
            ReportCommand.Create(context),
            PlotCommand.Create(context),
            TracksCommand.Create(context),
            MetricsCommand.Create(context),
            LogsCommand.Create(context),
            ExportCommand.Create(context),
            SqlCommand.Create(context),
            RewardCommand.Create(context),
            ServeCommand.Create(context),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"drlog: {error.Message}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Run 'drlog --help' or 'drlog COMMAND --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        context.Verbose = args.Contains("--verbose") || args.Contains("-v");
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"drlog: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("drlog: cancelled.").ConfigureAwait(false);
            return ExitCodes.Error;
        }
        catch (Exception e)
        {
            // Input problems say what to do; anything else is a bug of ours. Either way one line, the details on request.
            var message = e is DeepRacerLogException or IOException or UnauthorizedAccessException
                ? ErrorHints.Message(e)
                : ErrorHints.MissingNativeLibrary(e) is { } missing
                ? ErrorHints.Message(missing)
                : $"unexpected error: {e.GetType().Name}: {e.Message} (run again with --verbose for details)";
            await stderr.WriteLineAsync($"drlog: {message}").ConfigureAwait(false);
            if (context.Verbose)
            {
                await stderr.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Error;
        }
    }
}
