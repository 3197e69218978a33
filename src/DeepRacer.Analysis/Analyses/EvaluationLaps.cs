using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Analyses;

/// <summary>
/// Evaluation (or leaderboard) laps with the statistics the reference prints over each lap's picture (<c>plot_grid_world</c>,
/// spec 7.5/7.6), plus each lap's points coloured by speed.
/// </summary>
/// <param name="Laps">One row per lap, streams in table order, episodes ascending: <c>stream, episode, steps, distance, lap_time,
/// velocity, speed_mean, progress, complete, crashed, off_track</c>. distance = Σ step distances within the lap (prepare row included,
/// reset jumps too), lap_time = max − min tstamp, velocity = distance / lap_time (m/s), speed_mean = mean commanded speed.</param>
/// <param name="Points">Each lap's positions coloured by commanded speed, in <see cref="Laps"/> order.</param>
public sealed record EvaluationLaps(Table Laps, IReadOnlyList<LapPoints> Points)
{
    /// <summary>The rows of <see cref="Laps"/> as typed values, in the same order.</summary>
    public IReadOnlyList<EvaluationLap> LapRows => field ??= [.. Enumerable.Range(0, Laps.RowCount).Select(r => new EvaluationLap(
        Laps.Get<string>("stream")[r],
        Laps.Get<int>("episode")[r],
        Laps.Get<int>("steps")[r],
        Laps.Get<double>("distance")[r],
        Laps.Get<double>("lap_time")[r],
        Laps.Get<double>("velocity")[r],
        Laps.Get<double>("speed_mean")[r],
        Laps.Get<double>("progress")[r],
        Laps.Get<int>("complete")[r] != 0,
        Laps.Get<int>("crashed")[r],
        Laps.Get<int>("off_track")[r]))];

    /// <summary>Computes the per-lap statistics of an evaluation or leaderboard step table.</summary>
    /// <exception cref="DeepRacerLogException">A training table.</exception>
    public static EvaluationLaps Analyze(StepTable steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Kind == StepTableKind.Training)
        {
            throw new DeepRacerLogException("Evaluation laps need evaluation or leaderboard steps; load the evaluation trace or the leaderboard logs.");
        }

        var stream = new List<string>();
        var episode = new List<int>();
        var count = new List<int>();
        var distance = new List<double>();
        var lapTime = new List<double>();
        var velocity = new List<double>();
        var speed = new List<double>();
        var progress = new List<double>();
        var complete = new List<int>();
        var crashed = new List<int>();
        var offTrack = new List<int>();
        var points = new List<LapPoints>();
        var start = 0;
        for (var i = 1; i <= steps.RowCount; i++)
        {
            if (i < steps.RowCount && steps.Stream[i] == steps.Stream[start] && steps.Episode[i] == steps.Episode[start])
            {
                continue;
            }

            double dist = 0, speedSum = 0, maxProgress = double.NaN, tMin = double.MaxValue, tMax = double.MinValue;
            int crashes = 0, offs = 0;
            for (var r = start; r < i; r++)
            {
                if (r > start)
                {
                    double dx = (double)steps.X[r] - steps.X[r - 1], dy = (double)steps.Y[r] - steps.Y[r - 1];
                    dist += Math.Sqrt((dx * dx) + (dy * dy));
                }

                speedSum += steps.Speed[r];
                maxProgress = double.IsNaN(maxProgress) ? steps.Progress[r] : Math.Max(maxProgress, steps.Progress[r]);
                tMin = Math.Min(tMin, steps.Tstamp[r]);
                tMax = Math.Max(tMax, steps.Tstamp[r]);
                crashes += steps.Status[r] == EpisodeStatus.Crashed ? 1 : 0;
                offs += steps.Status[r] == EpisodeStatus.OffTrack ? 1 : 0;
            }

            var name = steps.Streams[steps.Stream[start]];
            stream.Add(name);
            episode.Add(steps.Episode[start]);
            count.Add(i - start);
            distance.Add(dist);
            lapTime.Add(tMax - tMin);
            velocity.Add(dist / (tMax - tMin));
            speed.Add(speedSum / (i - start));
            progress.Add(maxProgress);
            complete.Add(maxProgress == 100 ? 1 : 0);
            crashed.Add(crashes);
            offTrack.Add(offs);
            var rows = Enumerable.Range(start, i - start).ToArray();
            points.Add(new LapPoints($"stream {name} episode {steps.Episode[start]}", [.. rows.Select(r => (double)steps.X[r])], [.. rows.Select(r => (double)steps.Y[r])], [.. rows.Select(r => (double)steps.Speed[r])]));
            start = i;
        }

        var table = new Table(
        [
            new Column<string>("stream", [.. stream]),
            new Column<int>("episode", [.. episode]),
            new Column<int>("steps", [.. count]),
            new Column<double>("distance", [.. distance]),
            new Column<double>("lap_time", [.. lapTime]),
            new Column<double>("velocity", [.. velocity]),
            new Column<double>("speed_mean", [.. speed]),
            new Column<double>("progress", [.. progress]),
            new Column<int>("complete", [.. complete]),
            new Column<int>("crashed", [.. crashed]),
            new Column<int>("off_track", [.. offTrack]),
        ]);
        return new EvaluationLaps(table, points);
    }

    /// <summary>
    /// Step-by-step detail of one lap (the evaluation notebook's single-lap extras): <c>steps, distance, time, velocity,
    /// acceleration, progress_delta, progress_delta_per_time</c>, each from the previous step (NaN on the first).
    /// velocity is distance / time in m/s; the notebook's <c>speed</c> divides by a spurious 100 more.
    /// </summary>
    public static Table LapDetail(StepTable steps, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var n = rows.Length;
        var stepNumbers = new int[n];
        var distance = new double[n];
        var time = new double[n];
        var velocity = new double[n];
        var acceleration = new double[n];
        var progressDelta = new double[n];
        var progressRate = new double[n];
        for (var k = 0; k < n; k++)
        {
            var r = rows[k];
            stepNumbers[k] = steps.Steps[r];
            if (k == 0)
            {
                distance[k] = time[k] = velocity[k] = acceleration[k] = progressDelta[k] = progressRate[k] = double.NaN;
                continue;
            }

            var p = rows[k - 1];
            double dx = (double)steps.X[r] - steps.X[p], dy = (double)steps.Y[r] - steps.Y[p];
            distance[k] = Math.Sqrt((dx * dx) + (dy * dy));
            time[k] = steps.Tstamp[r] - steps.Tstamp[p];
            velocity[k] = distance[k] / time[k];
            acceleration[k] = (distance[k] - distance[k - 1]) / time[k];
            progressDelta[k] = steps.Progress[r] - steps.Progress[p];
            progressRate[k] = progressDelta[k] / time[k];
        }

        return new Table(
        [
            new Column<int>("steps", stepNumbers),
            new Column<double>("distance", distance),
            new Column<double>("time", time),
            new Column<double>("velocity", velocity),
            new Column<double>("acceleration", acceleration),
            new Column<double>("progress_delta", progressDelta),
            new Column<double>("progress_delta_per_time", progressRate),
        ]);
    }
}

/// <summary>One lap of <see cref="EvaluationLaps"/> (a row of <see cref="EvaluationLaps.Laps"/>, whose column names it follows).</summary>
/// <param name="Stream"><c>stream</c>: the evaluation run.</param>
/// <param name="Episode"><c>episode</c>: the lap (trial) number.</param>
/// <param name="Steps"><c>steps</c>.</param>
/// <param name="Distance"><c>distance</c>, metres.</param>
/// <param name="LapTime"><c>lap_time</c>, seconds.</param>
/// <param name="Velocity"><c>velocity</c>: distance / lap time, m/s.</param>
/// <param name="SpeedMean"><c>speed_mean</c>: mean commanded speed, m/s.</param>
/// <param name="Progress"><c>progress</c>, percent.</param>
/// <param name="Complete"><c>complete</c>.</param>
/// <param name="Crashed"><c>crashed</c>.</param>
/// <param name="OffTrack"><c>off_track</c>.</param>
public sealed record EvaluationLap(
    string Stream, int Episode, int Steps, double Distance, double LapTime, double Velocity, double SpeedMean, double Progress, bool Complete, int Crashed, int OffTrack);
