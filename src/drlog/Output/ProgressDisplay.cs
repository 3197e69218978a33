using Spectre.Console;

namespace DrLog.Output;

/// <summary>Shows a progress bar on stderr for loads that last more than a second, and only on a terminal.</summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan s_delay = TimeSpan.FromSeconds(1);

    public static async Task<T> RunAsync<T>(CliContext context, string title, Func<IProgress<LoadProgress>, Task<T>> work)
    {
        var latest = new LatestProgress();
        var task = work(latest);
        if (!context.ErrorIsTerminal || await Task.WhenAny(task, Task.Delay(s_delay)).ConfigureAwait(false) == task)
        {
            return await task.ConfigureAwait(false);
        }

        // stderr was checked to be a terminal above; Spectre cannot tell that for a writer other than stdout.
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes });
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask(title);
                while (!task.IsCompleted)
                {
                    var p = latest.Value;
                    bar.MaxValue = Math.Max(1, p.TotalBytes);
                    bar.Value = p.BytesRead;
                    await Task.WhenAny(task, Task.Delay(100)).ConfigureAwait(false);
                }

                bar.Value = bar.MaxValue;
            }).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    private sealed class LatestProgress : IProgress<LoadProgress>
    {
        private LoadProgress _value;
        private readonly Lock _lock = new();

        public LoadProgress Value
        {
            get
            {
                lock (_lock)
                {
                    return _value;
                }
            }
        }

        public void Report(LoadProgress value)
        {
            lock (_lock)
            {
                _value = value;
            }
        }
    }
}
