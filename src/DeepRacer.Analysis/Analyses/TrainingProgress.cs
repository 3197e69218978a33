using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Analyses;

/// <summary>
/// Training progress per iteration (the reference's <c>analyze_training_progress</c>, spec 7.1).
/// </summary>
/// <param name="PerIteration">One row per iteration: <c>iteration, episodes, reward_mean, reward_std, time_mean, time_std,
/// progress_mean, progress_std, complete_laps, complete_time_mean, complete_time_min, complete_time_max, completion_rate</c>
/// (std is the sample std; the complete-lap columns are NaN for iterations without a complete lap).</param>
/// <param name="TotalCompletionRate">Completed episodes / all episodes.</param>
/// <param name="EpisodeNumber">The largest episode number (the reference prints it as "Number of episodes": count − 1 for 0-based numbering).</param>
/// <param name="IterationNumber">The largest iteration number (printed as "Number of iterations").</param>
/// <param name="GroupBy">The episode column used (<c>unique_episode</c> for multi-worker training).</param>
/// <remarks>The notebook's panels of it are <c>AnalysisCharts.Progress</c>.</remarks>
public sealed record TrainingProgress(Table PerIteration, double TotalCompletionRate, int EpisodeNumber, int IterationNumber, string GroupBy)
{
    /// <summary>The rows of <see cref="PerIteration"/> as typed values, iterations ascending.</summary>
    public IReadOnlyList<IterationProgress> Iterations => field ??= [.. Enumerable.Range(0, PerIteration.RowCount).Select(r => new IterationProgress(
        PerIteration.Get<int>("iteration")[r],
        PerIteration.Get<int>("episodes")[r],
        PerIteration.Get<double>("reward_mean")[r],
        PerIteration.Get<double>("reward_std")[r],
        PerIteration.Get<double>("time_mean")[r],
        PerIteration.Get<double>("time_std")[r],
        PerIteration.Get<double>("progress_mean")[r],
        PerIteration.Get<double>("progress_std")[r],
        PerIteration.Get<int>("complete_laps")[r],
        PerIteration.Get<double>("complete_time_mean")[r],
        PerIteration.Get<double>("complete_time_min")[r],
        PerIteration.Get<double>("complete_time_max")[r],
        PerIteration.Get<double>("completion_rate")[r]))];

    /// <summary>Computes the progress of a training episode table.</summary>
    /// <exception cref="DeepRacerLogException">The table is an evaluation table or empty.</exception>
    public static TrainingProgress Analyze(EpisodeTable episodes)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        if (episodes.IsEvaluation || episodes.RowCount == 0)
        {
            throw new DeepRacerLogException("Training progress needs training episodes; load the training trace of the model (not an evaluation).");
        }

        var groupBy = episodes.HasColumn("unique_episode") ? "unique_episode" : "episode";
        var iterations = episodes.Get<int>("iteration").ToArray();
        var reward = episodes.Get<double>("reward").ToArray();
        var time = episodes.Time.ToArray();
        var progress = episodes.Progress.ToArray();
        var complete = episodes.Complete.ToArray();
        var groups = Enumerable.Range(0, episodes.RowCount).GroupBy(i => iterations[i]).OrderBy(g => g.Key).ToList();

        double[] Per(Func<IEnumerable<int>, double> f) => [.. groups.Select(g => f(g))];
        // The reference keys completed laps on progress == 100 (as the complete column does).
        IEnumerable<double> CompleteTimes(IEnumerable<int> rows) => rows.Where(i => progress[i] == 100).Select(i => time[i]);

        var rewardMean = Per(g => Statistics.Mean(g.Select(i => reward[i])));
        var rewardStd = Per(g => Statistics.Std(g.Select(i => reward[i])));
        var timeMean = Per(g => Statistics.Mean(g.Select(i => time[i])));
        var timeStd = Per(g => Statistics.Std(g.Select(i => time[i])));
        var progressMean = Per(g => Statistics.Mean(g.Select(i => progress[i])));
        var progressStd = Per(g => Statistics.Std(g.Select(i => progress[i])));
        var completeLaps = groups.Select(g => CompleteTimes(g).Count()).ToArray();
        var completeMean = Per(g => Statistics.Mean(CompleteTimes(g)));
        var completeMin = Per(g => Statistics.Min(CompleteTimes(g)));
        var completeMax = Per(g => Statistics.Max(CompleteTimes(g)));
        var rate = Per(g => g.Average(i => (double)complete[i]));
        var total = (double)progress.Count(p => p == 100) / progress.Length;

        var table = new Table(
        [
            new Column<int>("iteration", [.. groups.Select(g => g.Key)]),
            new Column<int>("episodes", [.. groups.Select(g => g.Count())]),
            new Column<double>("reward_mean", rewardMean),
            new Column<double>("reward_std", rewardStd),
            new Column<double>("time_mean", timeMean),
            new Column<double>("time_std", timeStd),
            new Column<double>("progress_mean", progressMean),
            new Column<double>("progress_std", progressStd),
            new Column<int>("complete_laps", completeLaps),
            new Column<double>("complete_time_mean", completeMean),
            new Column<double>("complete_time_min", completeMin),
            new Column<double>("complete_time_max", completeMax),
            new Column<double>("completion_rate", rate),
        ]);

        var episodeNumbers = episodes[groupBy];
        var lastEpisode = Statistics.Max(Enumerable.Range(0, episodes.RowCount).Select(i => episodeNumbers.AsDouble(i)));
        return new TrainingProgress(table, total, (int)lastEpisode, iterations.Max(), groupBy);
    }
}

/// <summary>One iteration of <see cref="TrainingProgress"/> (a row of <see cref="TrainingProgress.PerIteration"/>, whose column names it follows).</summary>
/// <param name="Iteration"><c>iteration</c>.</param>
/// <param name="Episodes"><c>episodes</c>: episodes in the iteration.</param>
/// <param name="RewardMean"><c>reward_mean</c>.</param>
/// <param name="RewardStd"><c>reward_std</c> (sample std).</param>
/// <param name="TimeMean"><c>time_mean</c>, seconds.</param>
/// <param name="TimeStd"><c>time_std</c>.</param>
/// <param name="ProgressMean"><c>progress_mean</c>, percent.</param>
/// <param name="ProgressStd"><c>progress_std</c>.</param>
/// <param name="CompleteLaps"><c>complete_laps</c>.</param>
/// <param name="CompleteTimeMean"><c>complete_time_mean</c>; NaN without a complete lap.</param>
/// <param name="CompleteTimeMin"><c>complete_time_min</c>; NaN without a complete lap.</param>
/// <param name="CompleteTimeMax"><c>complete_time_max</c>; NaN without a complete lap.</param>
/// <param name="CompletionRate"><c>completion_rate</c>, 0 to 1.</param>
public sealed record IterationProgress(
    int Iteration, int Episodes, double RewardMean, double RewardStd, double TimeMean, double TimeStd, double ProgressMean, double ProgressStd,
    int CompleteLaps, double CompleteTimeMean, double CompleteTimeMin, double CompleteTimeMax, double CompletionRate);
