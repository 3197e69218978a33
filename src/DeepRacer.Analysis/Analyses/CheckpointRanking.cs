using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Analyses;

/// <summary>
/// Iterations ranked to choose which checkpoint to race: by completion rate (highest first), then mean complete-lap time
/// (fastest first; none last), then fastest lap. The episodes of an iteration were driven by the policy trained up to the
/// iteration before, so each row rates the checkpoint that policy was saved as.
/// </summary>
/// <param name="Ranking">One row per iteration, best first: <c>rank, iteration, episodes, complete_laps, completion_rate,
/// complete_time_mean, complete_time_best, progress_mean, reward_mean</c>.</param>
public sealed record CheckpointRanking(Table Ranking)
{
    /// <summary>The rows of <see cref="Ranking"/> as typed values, best first (<c>Checkpoints[0]</c> is the one to race).</summary>
    public IReadOnlyList<Checkpoint> Checkpoints => field ??= [.. Enumerable.Range(0, Ranking.RowCount).Select(r => new Checkpoint(
        Ranking.Get<int>("rank")[r],
        Ranking.Get<int>("iteration")[r],
        Ranking.Get<int>("episodes")[r],
        Ranking.Get<int>("complete_laps")[r],
        Ranking.Get<double>("completion_rate")[r],
        Ranking.Get<double>("complete_time_mean")[r],
        Ranking.Get<double>("complete_time_best")[r],
        Ranking.Get<double>("progress_mean")[r],
        Ranking.Get<double>("reward_mean")[r]))];

    /// <summary>Ranks the iterations of a training episode table.</summary>
    /// <param name="episodes">Training episodes.</param>
    /// <param name="minEpisodes">Iterations with fewer episodes (a run stopped mid-iteration) are left out.</param>
    /// <exception cref="DeepRacerLogException">Evaluation episodes, or no iteration left.</exception>
    public static CheckpointRanking Analyze(EpisodeTable episodes, int minEpisodes = 1)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        if (episodes.IsEvaluation)
        {
            throw new DeepRacerLogException("Checkpoint ranking needs training episodes (one row per iteration); load the training trace.");
        }

        var it = episodes.Get<int>("iteration").ToArray();
        var time = episodes.Time.ToArray();
        var progress = episodes.Progress.ToArray();
        var complete = episodes.Complete.ToArray();
        var reward = episodes.Get<double>("reward").ToArray();
        var rows = Enumerable.Range(0, episodes.RowCount)
            .GroupBy(i => it[i])
            .Where(g => g.Count() >= minEpisodes)
            .Select(g =>
            {
                var laps = g.Where(i => complete[i] == 1).Select(i => time[i]).ToArray();
                return (Iteration: g.Key, Episodes: g.Count(), Laps: laps.Length, Rate: (double)laps.Length / g.Count(),
                    LapMean: Statistics.Mean(laps), LapBest: Statistics.Min(laps),
                    Progress: Statistics.Mean(g.Select(i => progress[i])), Reward: Statistics.Mean(g.Select(i => reward[i])));
            })
            .OrderByDescending(r => r.Rate)
            .ThenBy(r => double.IsNaN(r.LapMean) ? double.MaxValue : r.LapMean)
            .ThenBy(r => double.IsNaN(r.LapBest) ? double.MaxValue : r.LapBest)
            .ThenBy(r => r.Iteration)
            .ToList();
        if (rows.Count == 0)
        {
            throw new DeepRacerLogException($"No iteration has {minEpisodes} or more episodes to rank; lower the minimum.");
        }

        return new CheckpointRanking(new Table(
        [
            new Column<int>("rank", [.. Enumerable.Range(1, rows.Count)]),
            new Column<int>("iteration", [.. rows.Select(r => r.Iteration)]),
            new Column<int>("episodes", [.. rows.Select(r => r.Episodes)]),
            new Column<int>("complete_laps", [.. rows.Select(r => r.Laps)]),
            new Column<double>("completion_rate", [.. rows.Select(r => r.Rate)]),
            new Column<double>("complete_time_mean", [.. rows.Select(r => r.LapMean)]),
            new Column<double>("complete_time_best", [.. rows.Select(r => r.LapBest)]),
            new Column<double>("progress_mean", [.. rows.Select(r => r.Progress)]),
            new Column<double>("reward_mean", [.. rows.Select(r => r.Reward)]),
        ]));
    }
}

/// <summary>One iteration's checkpoint in a <see cref="CheckpointRanking"/> (a row of its table, whose column names it follows).</summary>
/// <param name="Rank"><c>rank</c>, 1 = best.</param>
/// <param name="Iteration"><c>iteration</c>.</param>
/// <param name="Episodes"><c>episodes</c> in the iteration.</param>
/// <param name="CompleteLaps"><c>complete_laps</c>.</param>
/// <param name="CompletionRate"><c>completion_rate</c>, 0 to 1.</param>
/// <param name="CompleteTimeMean"><c>complete_time_mean</c>, seconds; NaN without a complete lap.</param>
/// <param name="CompleteTimeBest"><c>complete_time_best</c>, seconds; NaN without a complete lap.</param>
/// <param name="ProgressMean"><c>progress_mean</c>, percent.</param>
/// <param name="RewardMean"><c>reward_mean</c>.</param>
public sealed record Checkpoint(
    int Rank, int Iteration, int Episodes, int CompleteLaps, double CompletionRate, double CompleteTimeMean, double CompleteTimeBest, double ProgressMean, double RewardMean);
