using System.Diagnostics;
using DeepRacer.Analysis.Web;

namespace DrLog.Commands;

/// <summary><c>drlog serve</c>: the live dashboard, a local read-only web app that follows the sources as they grow.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var sources = new Argument<string[]>("SOURCE")
        {
            Description = "Model folder, .tar.gz, log file, s3://bucket/prefix or catalog id; two or more are compared side by side",
            Arity = ArgumentArity.OneOrMore,
        };
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one)", DefaultValueFactory = _ => 5000 };
        var host = new Option<string>("--host") { Description = "Address to bind; other than 127.0.0.1 lets other machines read the logs", DefaultValueFactory = _ => DashboardOptions.Loopback };
        var interval = new Option<TimeSpan>("--interval")
        {
            Description = "How often to look for new files, e.g. 10s, 1m, 500ms",
            HelpName = "DURATION",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
            CustomParser = MetricsCommand.ParseInterval,
        };
        var open = new Option<bool>("--open") { Description = "Open the dashboard in the default browser" };
        var reward = new RewardOptions("--reward-function", "Replay this reward_function.py over the training steps (new ones as they arrive): the Reward page, old vs new reward");
        var command = new Command("serve", "Live dashboard in the browser: overview, episodes, laps, track, evaluations, compare, reward; follows a running training (folder or S3/MinIO). Ctrl+C stops.");
        command.Add(sources);
        common.AddConnectionTo(command, withFormat: false);
        foreach (var o in new Option[] { port, host, interval, open, common.Track })
        {
            command.Add(o);
        }

        reward.AddTo(command);

        command.Validators.Add(r =>
        {
            if (r.GetValue(port) is < 0 or > 65535)
            {
                r.AddError("--port must be between 0 and 65535.");
            }
        });

        command.SetAction(async (parse, ct) =>
        {
            var options = new DashboardOptions
            {
                Sources = [.. parse.GetValue(sources)!.Select(s => CatalogSource.Resolve(s, parse.GetValue(common.Catalog)))],
                S3 = common.S3(parse),
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                Interval = parse.GetValue(interval),
                Track = parse.GetValue(common.Track),
                RewardFunction = parse.GetValue(reward.Function),
                RewardOptions = reward.PythonOptions(parse),
                RewardReversed = parse.GetValue(reward.Reversed),
                DescribeError = ErrorHints.Message,
            };
            await using var dashboard = await Dashboard.StartAsync(options, ct).ConfigureAwait(false);
            if (options.Host is not (DashboardOptions.Loopback or "localhost" or "::1"))
            {
                await context.Error.WriteLineAsync($"drlog: warning: listening on {options.Host}: anyone who can reach this machine can read these logs (there is no login).").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"Serving {options.Sources.Count} source(s) at {dashboard.Url} (Ctrl+C stops).").ConfigureAwait(false);
            if (parse.GetValue(open))
            {
                OpenBrowser(context, dashboard.Url);
            }

            await Task.WhenAny(dashboard.FirstLoad, Task.Delay(Timeout.Infinite, ct)).ConfigureAwait(false);
            if (dashboard.FirstLoad.IsCompleted)
            {
                foreach (var line in dashboard.Describe())
                {
                    await context.Out.WriteLineAsync($"Loaded {line}.").ConfigureAwait(false);
                }
            }

            await dashboard.WaitAsync(ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync("Stopped.").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void OpenBrowser(CliContext context, Uri url)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true });
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            context.Error.WriteLine($"drlog: warning: could not open a browser ({e.Message}); open {url} yourself.");
        }
    }
}
