using DrLog;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C cancels gracefully; a second one kills.
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};

return await Cli.RunAsync(args, Console.Out, Console.Error, cancel.Token);
