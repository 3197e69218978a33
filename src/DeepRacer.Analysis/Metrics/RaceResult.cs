using System.Text.Json;
using System.Text.RegularExpressions;
using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Metrics;

/// <summary>How a DeepRacer on AWS race ranks its entries.</summary>
public enum TimingMethod
{
    /// <summary>Total time of all trials (DROA's default for a new race).</summary>
    Total,

    /// <summary>The best average over the race's minimum number of consecutive complete laps.</summary>
    Average,

    /// <summary>The best lap.</summary>
    Best,
}

/// <summary>One trial (lap) of an evaluation or submission metrics file (<c>metrics/{evaluation|submission}/…json</c>).</summary>
/// <param name="Trial">The trial number.</param>
/// <param name="CompletionPercentage">How much of the lap was driven, 0–100.</param>
/// <param name="ElapsedMilliseconds">The trial's time.</param>
/// <param name="OffTrackCount">Times off track.</param>
/// <param name="CrashCount">Collisions.</param>
/// <param name="ResetCount">Resets.</param>
/// <param name="EpisodeStatus">How the trial ended (<c>Lap complete</c>, <c>Off track</c>, …).</param>
public sealed record RaceTrial(int Trial, double CompletionPercentage, long ElapsedMilliseconds, int OffTrackCount, int CrashCount, int ResetCount, string EpisodeStatus)
{
    /// <summary>A lap counts as complete only at exactly 100 %.</summary>
    public bool Complete => CompletionPercentage == 100;
}

/// <summary>
/// The result of one evaluation or submission as DeepRacer on AWS scores it (its <c>ModelPerformanceMetricsHelper</c>): times in
/// milliseconds as DROA keeps them; a time DROA marks invalid (no lap, no window of complete laps) is null here.
/// </summary>
public sealed partial record RaceResult
{
    /// <summary>DROA's value for "no valid time" (86,000,000 ms, a day).</summary>
    public const long InvalidTime = 86_000_000;

    /// <summary>The job name (<c>deepracerindy-submission-…</c>).</summary>
    public required string Job { get; init; }

    /// <summary><c>evaluation</c> or <c>submission</c>.</summary>
    public required string JobType { get; init; }

    /// <summary>The trials, in file order.</summary>
    public required IReadOnlyList<RaceTrial> Trials { get; init; }

    /// <summary>The race's minimum number of laps.</summary>
    public required int MinimumLaps { get; init; }

    /// <summary>The fastest trial, complete or not (DROA takes the minimum over all trials); null without trials.</summary>
    public long? BestLapMilliseconds { get; init; }

    /// <summary>The best average over <see cref="MinimumLaps"/> consecutive complete laps, floored to whole ms; null when there is no such window.</summary>
    public long? AverageLapMilliseconds { get; init; }

    /// <summary>The sum of all trials' times.</summary>
    public long TotalMilliseconds { get; init; }

    /// <summary>The longest run of consecutive complete laps.</summary>
    public int CompletedLaps { get; init; }

    /// <summary>Resets over all trials.</summary>
    public int Resets { get; init; }

    /// <summary>Resets per trial.</summary>
    public double AverageResets { get; init; }

    /// <summary>Off-track count over all trials.</summary>
    public int OffTrack { get; init; }

    /// <summary>Collisions over all trials.</summary>
    public int Collisions { get; init; }

    /// <summary>Off-track count of the best lap (the first, on a tie).</summary>
    public int BestLapOffTrack { get; init; }

    /// <summary>Off-track count of the best average window (the first, on a tie); 0 without one.</summary>
    public int AverageLapOffTrack { get; init; }

    /// <summary>True when <see cref="CompletedLaps"/> reaches <see cref="MinimumLaps"/>: only then does DROA rank the entry.</summary>
    public bool Qualified => CompletedLaps >= MinimumLaps;

    /// <summary>The ranking score of a timing method (lower is better); null when DROA has none (an invalid time).</summary>
    public long? Score(TimingMethod timing) => timing switch
    {
        TimingMethod.Average => AverageLapMilliseconds,
        TimingMethod.Best => BestLapMilliseconds,
        _ => TotalMilliseconds,
    };

    /// <summary>Scores trials with DROA's rules.</summary>
    /// <param name="job">Job name.</param>
    /// <param name="jobType"><c>evaluation</c> or <c>submission</c>.</param>
    /// <param name="trials">The trials in file order.</param>
    /// <param name="minimumLaps">The race's minimum number of laps (DROA's default is 1).</param>
    public static RaceResult Score(string job, string jobType, IReadOnlyList<RaceTrial> trials, int minimumLaps)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumLaps, 1);

        // Best lap: strict "<" keeps the first of equal times.
        var best = -1;
        for (var i = 0; i < trials.Count; i++)
        {
            if (best < 0 || trials[i].ElapsedMilliseconds < trials[best].ElapsedMilliseconds)
            {
                best = i;
            }
        }

        // Best average: every window of minimumLaps consecutive trials that are all complete; the first of equal averages wins.
        long? average = null;
        var averageOffTrack = 0;
        for (var start = 0; start + minimumLaps <= trials.Count; start++)
        {
            var window = trials.Skip(start).Take(minimumLaps).ToList();
            if (!window.All(t => t.Complete))
            {
                continue;
            }

            var mean = (long)Math.Floor(window.Sum(t => (double)t.ElapsedMilliseconds) / minimumLaps);
            if (mean < (average ?? InvalidTime))
            {
                average = mean;
                averageOffTrack = window.Sum(t => t.OffTrackCount);
            }
        }

        int run = 0, longest = 0;
        foreach (var t in trials)
        {
            run = t.Complete ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var resets = trials.Sum(t => t.ResetCount);
        var bestTime = best < 0 ? (long?)null : Math.Min(trials[best].ElapsedMilliseconds, InvalidTime);
        return new RaceResult
        {
            Job = job,
            JobType = jobType,
            Trials = trials,
            MinimumLaps = minimumLaps,
            BestLapMilliseconds = bestTime == InvalidTime ? null : bestTime,
            AverageLapMilliseconds = average,
            TotalMilliseconds = trials.Sum(t => t.ElapsedMilliseconds),
            CompletedLaps = longest,
            Resets = resets,
            AverageResets = trials.Count == 0 ? 0 : (double)resets / trials.Count,
            OffTrack = trials.Sum(t => t.OffTrackCount),
            Collisions = trials.Sum(t => t.CrashCount),
            BestLapOffTrack = best < 0 ? 0 : trials[best].OffTrackCount,
            AverageLapOffTrack = averageOffTrack,
        };
    }

    /// <summary>Reads the trials of an evaluation or submission metrics file.</summary>
    /// <exception cref="DeepRacerLogException">The file is not a DROA evaluation metrics JSON.</exception>
    public static IReadOnlyList<RaceTrial> ParseTrials(ReadOnlySpan<byte> json, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            if (!doc.RootElement.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Array)
            {
                throw new DeepRacerLogException($"{name} has no \"metrics\" list: not an evaluation or submission metrics file.");
            }

            return [.. metrics.EnumerateArray().Select(m => new RaceTrial(
                Int(m, "trial"),
                m.TryGetProperty("completion_percentage", out var c) ? c.GetDouble() : 0,
                m.TryGetProperty("elapsed_time_in_milliseconds", out var e) ? e.GetInt64() : 0,
                Int(m, "off_track_count"),
                Int(m, "crash_count"),
                Int(m, "reset_count"),
                m.TryGetProperty("episode_status", out var s) ? s.GetString() ?? "" : ""))];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new DeepRacerLogException($"{name} is not valid evaluation metrics JSON ({e.Message.Split('\n')[0]}): download it again.", e);
        }

        static int Int(JsonElement m, string property) => m.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;
    }

    /// <summary>
    /// Scores every evaluation and submission metrics file of a model (<c>metrics/{evaluation|submission}/{iso}-{job}.json</c>),
    /// in path order: evaluations, then submissions, each oldest first.
    /// </summary>
    public static async Task<IReadOnlyList<RaceResult>> LoadAsync(ModelSource source, ModelLayout layout, int minimumLaps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(layout);
        var results = new List<RaceResult>();
        foreach (var file in layout.MetricsFiles.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            if (RaceMetricsFile().Match(file.Path) is not { Success: true } m)
            {
                continue;
            }

            var bytes = await source.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            var trials = ParseTrials(bytes, Path.Combine(source.Description, file.Path));
            results.Add(Score(ModelLayout.DroaJob(m.Groups[2].Value), m.Groups[1].Value, trials, minimumLaps));
        }

        return results;
    }

    /// <summary>
    /// One row per result (<c>job, job_type, trials, completed_laps, min_laps, qualified, best_lap, avg_lap, total_time, resets,
    /// avg_resets, off_track, collisions, best_lap_off_track, avg_lap_off_track, score, rank</c>), times in seconds. <c>rank</c>
    /// orders the qualified results with a score, lowest first; equal scores share a rank.
    /// </summary>
    public static Table ToTable(IReadOnlyList<RaceResult> results, TimingMethod timing)
    {
        ArgumentNullException.ThrowIfNull(results);
        var ranked = results.Where(r => r.Qualified && r.Score(timing) is not null).Select(r => r.Score(timing)!.Value).Order().ToList();
        static double Seconds(long? ms) => ms is { } v ? v / 1000.0 : double.NaN;
        return new Table(
        [
            new Column<string?>("job", [.. results.Select(r => (string?)r.Job)]),
            new Column<string?>("job_type", [.. results.Select(r => (string?)r.JobType)]),
            new Column<double>("trials", [.. results.Select(r => (double)r.Trials.Count)]),
            new Column<double>("completed_laps", [.. results.Select(r => (double)r.CompletedLaps)]),
            new Column<double>("min_laps", [.. results.Select(r => (double)r.MinimumLaps)]),
            new Column<string?>("qualified", [.. results.Select(r => (string?)(r.Qualified ? "true" : "false"))]),
            new Column<double>("best_lap", [.. results.Select(r => Seconds(r.BestLapMilliseconds))]),
            new Column<double>("avg_lap", [.. results.Select(r => Seconds(r.AverageLapMilliseconds))]),
            new Column<double>("total_time", [.. results.Select(r => Seconds(r.TotalMilliseconds))]),
            new Column<double>("resets", [.. results.Select(r => (double)r.Resets)]),
            new Column<double>("avg_resets", [.. results.Select(r => r.AverageResets)]),
            new Column<double>("off_track", [.. results.Select(r => (double)r.OffTrack)]),
            new Column<double>("collisions", [.. results.Select(r => (double)r.Collisions)]),
            new Column<double>("best_lap_off_track", [.. results.Select(r => (double)r.BestLapOffTrack)]),
            new Column<double>("avg_lap_off_track", [.. results.Select(r => (double)r.AverageLapOffTrack)]),
            new Column<double>("score", [.. results.Select(r => Seconds(r.Score(timing)))]),
            new Column<double>("rank", [.. results.Select(r => r.Qualified && r.Score(timing) is { } s ? ranked.IndexOf(s) + 1.0 : double.NaN)]),
        ]);
    }

    [GeneratedRegex(@"(?:^|/)metrics/(evaluation|submission)/([^/]+)\.json$")]
    private static partial Regex RaceMetricsFile();
}
