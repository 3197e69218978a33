using System.Diagnostics;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Rewards;

/// <summary>The rewards a function gives the replayed steps of a log.</summary>
public sealed class RewardReplayResult
{
    internal RewardReplayResult(RewardParamsTable parameters, double[] newReward, int errors, RewardFunctionException? firstError, TimeSpan paramsTime, TimeSpan functionTime)
    {
        Params = parameters;
        NewReward = newReward;
        ErrorCount = errors;
        FirstError = firstError;
        ParamsTime = paramsTime;
        FunctionTime = functionTime;
    }

    /// <summary>The params of the replayed steps.</summary>
    public RewardParamsTable Params { get; }

    /// <summary>The new reward of each replayed step (index as in <see cref="Params"/>); NaN where the function failed.</summary>
    public double[] NewReward { get; }

    /// <summary>Steps on which the function failed (only with errors skipped; otherwise the replay stops at the first).</summary>
    public int ErrorCount { get; }

    /// <summary>The first failure, when errors were skipped.</summary>
    public RewardFunctionException? FirstError { get; }

    /// <summary>Time spent computing the params.</summary>
    public TimeSpan ParamsTime { get; }

    /// <summary>Time spent running the function.</summary>
    public TimeSpan FunctionTime { get; }

    /// <summary>Replayed steps per second, params and function together.</summary>
    public double StepsPerSecond => Params.Count / Math.Max(1e-9, (ParamsTime + FunctionTime).TotalSeconds);

    /// <summary>
    /// The new reward of every row of the steps: 0 on rows the simulator never scores (<c>prepare</c>, <c>pause</c>),
    /// as it logs them; NaN where the function failed.
    /// </summary>
    public double[] NewRewardPerRow()
    {
        var values = new double[Params.Steps.RowCount];
        var rows = Params.SourceRows;
        for (var i = 0; i < rows.Length; i++)
        {
            values[rows[i]] = NewReward[i];
        }

        return values;
    }
}

/// <summary>Options of <see cref="RewardReplay.Run"/>.</summary>
public sealed record RewardReplayOptions
{
    /// <summary>The run drove the track in reverse (<c>REVERSE_DIR</c>): lines reversed, <c>is_reversed</c> true.</summary>
    public bool IsReversed { get; init; }

    /// <summary>Count failing steps (reward NaN) and go on, instead of stopping at the first.</summary>
    public bool SkipErrors { get; init; }
}

/// <summary>
/// Replays a reward function over the steps a car drove (spec 9.3): the params of every step the simulator scored are
/// rebuilt, then the function runs on them in table order.
/// </summary>
public static class RewardReplay
{
    /// <summary>Replays a reward function written in C#, step by step in table order (module-like state in a closure works).</summary>
    /// <exception cref="RewardFunctionException">The function threw or returned a non-finite value (unless errors are skipped).</exception>
    public static RewardReplayResult Run(StepTable steps, Track track, Func<RewardParams, double> function, RewardReplayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        options ??= new RewardReplayOptions();
        var clock = Stopwatch.StartNew();
        var table = RewardParamsTable.Build(steps, track, options.IsReversed);
        var paramsTime = clock.Elapsed;
        clock.Restart();
        var rewards = new double[table.Count];
        var errors = 0;
        RewardFunctionException? first = null;
        for (var i = 0; i < table.Count; i++)
        {
            var parameters = table[i];
            RewardFunctionException? error = null;
            try
            {
                rewards[i] = function(parameters);
                if (!double.IsFinite(rewards[i]))
                {
                    error = PythonRewardFunction.StepError(table, i, RewardErrorKind.NotFinite, rewards[i].ToString(CultureInfo.InvariantCulture));
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                error = new RewardFunctionException(
                    RewardErrorKind.Raised,
                    $"reward function threw {e.GetType().Name}: {e.Message} at {PythonRewardFunction.Locate(steps, table.SourceRows[i])}.",
                    PythonRewardFunction.Locate(steps, table.SourceRows[i]),
                    parameters,
                    e.ToString());
            }

            if (error is not null)
            {
                if (!options.SkipErrors)
                {
                    throw error;
                }

                rewards[i] = double.NaN;
                errors++;
                first ??= error;
            }
        }

        return new RewardReplayResult(table, rewards, errors, first, paramsTime, clock.Elapsed);
    }

    /// <summary>Replays a Python reward function (its workers each see whole episodes, in table order).</summary>
    /// <exception cref="RewardFunctionException">The function failed (unless errors are skipped), hung, or its interpreter died.</exception>
    public static async Task<RewardReplayResult> RunAsync(
        StepTable steps, Track track, PythonRewardFunction function, bool isReversed = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        var clock = Stopwatch.StartNew();
        var table = RewardParamsTable.Build(steps, track, isReversed);
        var paramsTime = clock.Elapsed;
        clock.Restart();
        var rewards = new double[table.Count];
        var (errors, first) = await function.EvaluateAsync(table, rewards, cancellationToken).ConfigureAwait(false);
        return new RewardReplayResult(table, rewards, errors, first, paramsTime, clock.Elapsed);
    }
}
