using DeepRacer.Analysis.Rewards;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DrLog.Commands;

/// <summary>Options of every command that replays a reward function, and the replay itself.</summary>
internal sealed class RewardOptions
{
    public RewardOptions(string functionOption, string description) =>
        Function = new Option<string?>(functionOption) { Description = description };

    public Option<string?> Function { get; }

    public Option<string> Python { get; } = new("--python") { Description = "Python interpreter that runs the reward function", DefaultValueFactory = _ => "python3" };

    public Option<bool> SkipErrors { get; } = new("--skip-errors") { Description = "Count steps where the reward function fails (new_reward empty) and go on" };

    public Option<bool> Reversed { get; } = new("--reversed") { Description = "The run drove the track in reverse (DRfC REVERSE_DIR): is_reversed true, lines reversed" };

    public Option<double> Timeout { get; } = new("--timeout") { Description = "Seconds a batch of steps may take before the function counts as hanging", DefaultValueFactory = _ => 60 };

    public Option<int> Workers { get; } = new("--workers") { Description = "Python worker processes (default: one per core)", DefaultValueFactory = _ => Environment.ProcessorCount };

    public void AddTo(Command command)
    {
        command.Add(Function);
        command.Add(Python);
        command.Add(SkipErrors);
        command.Add(Reversed);
        command.Add(Timeout);
        command.Add(Workers);
        // Option validators run only when the option is given; defaults are valid.
        Timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() <= 0)
            {
                r.AddError("--timeout must be more than 0 seconds.");
            }
        });
        Workers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--workers must be 1 or more.");
            }
        });
    }

    /// <summary>How the function runs, as the options say.</summary>
    public PythonRewardOptions PythonOptions(ParseResult parse) => new()
    {
        Python = parse.GetValue(Python)!,
        SkipErrors = parse.GetValue(SkipErrors),
        BatchTimeout = TimeSpan.FromSeconds(parse.GetValue(Timeout)),
        Workers = parse.GetValue(Workers),
    };

    /// <summary>Runs the function over the steps (its failures get their flag hints in <see cref="ErrorHints"/>).</summary>
    public async Task<RewardReplayResult> ReplayAsync(CliContext context, ParseResult parse, StepTable steps, Track track, CancellationToken cancellationToken)
    {
        using var function = await PythonRewardFunction.StartAsync(parse.GetValue(Function)!, PythonOptions(parse), cancellationToken).ConfigureAwait(false);
        var result = await RewardReplay.RunAsync(steps, track, function, parse.GetValue(Reversed), cancellationToken).ConfigureAwait(false);
        if (result.ErrorCount > 0)
        {
            await context.Error.WriteLineAsync(
                $"drlog: warning: the reward function failed on {result.ErrorCount} of {result.Params.Count} steps (new_reward empty there); the first: {result.FirstError!.Message.Split('\n')[0]}")
                .ConfigureAwait(false);
        }

        return result;
    }
}
