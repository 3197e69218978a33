namespace DrLog.Commands;

/// <summary><c>drlog steps</c>: every step of one episode, with the reference's raw columns.</summary>
internal static class StepsCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var episode = new Option<int>("--episode", "-e") { Description = "Episode number (the episodes table's 'episode' column)", Required = true };
        var iteration = new Option<int?>("--iteration", "-i") { Description = "Iteration (when episode numbers repeat)" };
        var worker = new Option<int>("--worker", "-w") { Description = "Worker, for DRfC multi-worker training", DefaultValueFactory = _ => 0 };
        var evaluation = common.Evaluation;
        var leaderboard = common.Leaderboard;
        var stream = new Option<string?>("--stream") { Description = "Evaluation/leaderboard stream (run); default: all runs" };
        var trace = common.Trace;
        var command = new Command("steps", "Every step of one episode: position, heading, action, reward, progress, status, clocks.");
        common.AddTo(command);
        command.Add(episode);
        command.Add(iteration);
        command.Add(worker);
        command.Add(evaluation);
        command.Add(leaderboard);
        command.Add(stream);
        command.Add(trace);
        command.SetAction(async (parse, ct) =>
        {
            var kind = common.StepKind(parse);
            using var log = await common.OpenAsync(parse, ct).ConfigureAwait(false);
            var steps = await CommonOptions.LoadAsync(context, log, kind, parse.GetValue(trace), ct).ConfigureAwait(false);
            var e = parse.GetValue(episode);
            var rows = steps.RowsOf(e, parse.GetValue(iteration), parse.GetValue(worker), parse.GetValue(stream));
            if (rows.Length == 0)
            {
                throw new DeepRacerLogException($"No steps for episode {e}" +
                    (parse.GetValue(iteration) is { } i ? $" in iteration {i}" : "") +
                    (steps.WorkerCount > 1 ? $" of worker {parse.GetValue(worker)}" : "") +
                    $": episodes run from {Min(steps.Episode)} to {Max(steps.Episode)}; see 'drlog episodes'.");
            }

            await TableOutput.WriteAsync(context, steps.ToTable(rows), parse.GetValue(common.Format)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int Min(ReadOnlySpan<int> values) => values.IsEmpty ? 0 : System.Linq.Enumerable.Min(values.ToArray());

    private static int Max(ReadOnlySpan<int> values) => values.IsEmpty ? 0 : System.Linq.Enumerable.Max(values.ToArray());
}
