namespace DeepRacer.Analysis.Tables;

public sealed partial class StepTable
{
    /// <summary>Rows of one episode: training by iteration, worker and the worker's episode; evaluation by stream index and episode.</summary>
    /// <param name="episode">The <c>episode</c> value.</param>
    /// <param name="iteration">Only this iteration, or any.</param>
    /// <param name="worker">Worker (training) — ignored for evaluation.</param>
    /// <param name="stream">Stream name (evaluation, leaderboard), or any.</param>
    /// <exception cref="DeepRacerLogException">The stream does not exist.</exception>
    public int[] RowsOf(int episode, int? iteration = null, int worker = 0, string? stream = null)
    {
        var rows = new List<int>();
        var streamIndex = stream is null ? -1 : Streams.ToList().IndexOf(stream);
        if (stream is not null && streamIndex < 0)
        {
            throw new DeepRacerLogException($"No stream '{stream}': streams are {string.Join(", ", Streams)}.");
        }

        for (var i = 0; i < RowCount; i++)
        {
            if (_episode[i] != episode || (iteration is { } it && _iteration[i] != it))
            {
                continue;
            }

            if (Kind == StepTableKind.Training ? _worker[i] != worker : streamIndex >= 0 && _stream[i] != streamIndex)
            {
                continue;
            }

            rows.Add(i);
        }

        return [.. rows];
    }

    /// <summary>
    /// The rows as a result table with the reference's raw column names (spec 2.5): <c>episode, steps, x, y, yaw,
    /// steering_angle, speed, action, reward, done, on_track, progress, closest_waypoint, track_len, tstamp,
    /// episode_status, pause_duration, wall_clock, iteration, worker, unique_episode</c> (training) or <c>..., iteration, stream</c>.
    /// </summary>
    public Table ToTable(ReadOnlySpan<int> rows)
    {
        T[] Pick<T>(T[] column, ReadOnlySpan<int> r, Func<int, T>? fallback = null)
        {
            var values = new T[r.Length];
            for (var i = 0; i < r.Length; i++)
            {
                values[i] = column.Length == RowCount ? column[r[i]] : fallback!(r[i]);
            }

            return values;
        }

        static float[] Runs(RunColumn<float> column, ReadOnlySpan<int> r)
        {
            var values = new float[r.Length];
            for (var i = 0; i < r.Length; i++)
            {
                values[i] = column.Get(r[i]);
            }

            return values;
        }

        var statusNames = new string[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            statusNames[i] = StatusName(_status[rows[i]]);
        }

        var columns = new List<Column>
        {
            new Column<int>("episode", Pick(_episode, rows)),
            new Column<int>("steps", Pick(_steps, rows)),
            new Column<float>("x", Pick(_x, rows)),
            new Column<float>("y", Pick(_y, rows)),
            new Column<float>("yaw", Pick(_yaw, rows)),
            new Column<float>("steering_angle", Pick(_steeringAngle, rows)),
            new Column<float>("speed", Pick(_speed, rows)),
            new Column<short>("action", Pick(_action, rows)),
            new Column<double>("reward", Pick(_reward, rows)),
            new Column<bool>("done", Pick(_done, rows)),
            new Column<bool>("on_track", Pick(_onTrack, rows)),
            new Column<double>("progress", Pick(_progress, rows)),
            new Column<short>("closest_waypoint", Pick(_closestWaypoint, rows)),
            new Column<float>("track_len", Runs(_trackLen, rows)),
            new Column<double>("tstamp", Pick(_tstamp, rows)),
            new Column<string>("episode_status", statusNames),
            new Column<float>("pause_duration", Runs(_pauseDuration, rows)),
            new Column<double>("wall_clock", Pick(_wallClock, rows, static _ => double.NaN)),
            new Column<int>("iteration", Pick(_iteration, rows)),
        };
        if (Kind == StepTableKind.Training)
        {
            columns.Add(new Column<byte>("worker", Pick(_worker, rows)));
            columns.Add(new Column<int>("unique_episode", Pick(_uniqueEpisode, rows)));
        }
        else
        {
            var streams = new string[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                streams[i] = Streams[_stream[rows[i]]];
            }

            columns.Add(new Column<string>("stream", streams));
        }

        return new Table(columns);
    }
}
