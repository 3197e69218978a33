using DeepRacer.Analysis.Episodes;

namespace DeepRacer.Analysis.Tests.Episodes;

// Every expected value below was computed independently with python3 (csv module) straight from the
// sample CSV text: episodes keyed by (worker folder, file iteration, episode column); time = last tstamp -
// first tstamp, steps = row count, progress = max(progress), dist = sum of hypot(dX, dY) over consecutive
// rows sorted by steps, reward = math.fsum(reward). Evaluations: rows sorted by (stream, episode, steps),
// deltas taken over the whole table with `prepare` rows zeroed (spec 6.1).
public class EpisodeTableTests
{
    private static int Row(EpisodeTable t, int iteration, int episode, int worker = 0)
    {
        var it = t.Get<int>("iteration");
        var ep = t.Episode;
        var hasWorker = t.HasColumn("worker");
        for (var i = 0; i < t.RowCount; i++)
        {
            if (it[i] == iteration && ep[i] == episode && (!hasWorker || t.Get<int>("worker")[i] == worker))
            {
                return i;
            }
        }

        throw new Xunit.Sdk.XunitException($"episode {episode} of iteration {iteration} (worker {worker}) not in the table");
    }

    private static int EvalRow(EpisodeTable t, string stream, int episode)
    {
        var s = t.Get<string>("stream");
        for (var i = 0; i < t.RowCount; i++)
        {
            if (s[i] == stream && t.Episode[i] == episode)
            {
                return i;
            }
        }

        throw new Xunit.Sdk.XunitException($"episode {episode} of stream {stream} not in the table");
    }

    private static void AssertEpisode(EpisodeTable t, int row, int steps, double time, double progress, double dist, double reward)
    {
        Assert.Equal(steps, t.Steps[row]);
        Assert.Equal(time, t.Time[row], 1e-9);
        Assert.Equal(progress, t.Progress[row], 1e-12);
        Assert.Equal(dist, t.Dist[row], 1e-4); // x/y are stored as float32
        var r = t.Get<double>("reward")[row];
        Assert.True(Math.Abs(r - reward) <= 1e-9 * Math.Abs(reward), $"reward {r} != {reward}");
    }

    private static async Task<EpisodeTable> TrainingEpisodes(string sample) => EpisodeTable.Aggregate(await Samples.Training(sample));

    private static async Task<EpisodeTable> EvaluationEpisodes(string sample) => EpisodeTable.Aggregate(await Samples.Evaluation(sample));

    [Theory]
    // python: distinct (worker, iteration, episode) over all training CSVs
    [InlineData("sample-drfc-1-logs", 540, 42)]
    [InlineData("sample-drfc-3-logs", 690, 24)]
    [InlineData("sample-console-logs", 560, 47)]
    [InlineData("sample-droa-solution-logs", 40, 0)]
    public async Task Aggregate_TrainingSample_OneRowPerEpisodeAndCompleteLapCount(string sample, int episodes, int completeLaps)
    {
        var t = await TrainingEpisodes(sample);
        Assert.Equal(episodes, t.RowCount);
        Assert.Equal(completeLaps, t.Complete.ToArray().Sum());
        Assert.Equal(completeLaps, t.CompletedLaps().RowCount);
        Assert.False(t.IsEvaluation);
    }

    [Fact]
    public async Task Aggregate_Drfc1Training_OrdinaryEpisodesMatchHandCheck()
    {
        var t = await TrainingEpisodes("sample-drfc-1-logs");
        // python: 0-iteration.csv episode 0: 57 rows, tstamp 27.788 .. 31.532
        AssertEpisode(t, Row(t, 0, 0), 57, 3.7439999999999998, 29.65734818702261, 5.4588361486668635, 31.405);
        // python: 13-iteration.csv episode 270
        AssertEpisode(t, Row(t, 13, 270), 28, 1.7860000000000582, 13.011573020484013, 2.380510254240152, 19.304);
    }

    [Fact]
    public async Task Aggregate_ConsoleTraining_OrdinaryEpisodesMatchHandCheck()
    {
        var t = await TrainingEpisodes("sample-console-logs");
        AssertEpisode(t, Row(t, 0, 1), 21, 1.3279999999999994, 9.000108920094156, 1.6201450726982871, 11.804);
        AssertEpisode(t, Row(t, 14, 280), 38, 2.47199999999998, 16.8436440614768, 3.14065623971172, 26.204);
    }

    [Fact]
    public async Task Aggregate_DroaTraining_OrdinaryEpisodesMatchHandCheck()
    {
        var t = await TrainingEpisodes("sample-droa-solution-logs");
        AssertEpisode(t, Row(t, 0, 0), 20, 1.2139999999999986, 2.903696540926232, 1.7347052248174888, 2.659102554662523);
        AssertEpisode(t, Row(t, 1, 25), 40, 2.5730000000000075, 7.150189855220656, 8.730458713793519, 5.947671424870121);
    }

    [Fact]
    public async Task Aggregate_Drfc3Training_OrdinaryEpisodesMatchHandCheck()
    {
        var t = await TrainingEpisodes("sample-drfc-3-logs");
        AssertEpisode(t, Row(t, 0, 0, worker: 0), 30, 1.943999999999999, 14.435652675568832, 2.5164907222780157, 14.405);
        AssertEpisode(t, Row(t, 11, 115, worker: 1), 29, 1.830000000000041, 9.480378284388202, 2.0055225440668667, 18.805);
    }

    [Theory]
    // python: min time over episodes with max(progress) == 100; the runner-up is given to show the minimum is unique
    [InlineData("sample-drfc-1-logs", 0, 19, 385, 184, 12.211999999999989)] // next 12.534
    [InlineData("sample-console-logs", 0, 21, 432, 213, 14.128000000000156)] // next 14.267
    [InlineData("sample-drfc-3-logs", 1, 13, 132, 189, 12.548000000000002)] // next 12.924
    public async Task Aggregate_TrainingSample_FastestCompleteLapMatchesManualScan(string sample, int worker, int iteration, int episode, int steps, double time)
    {
        var t = await TrainingEpisodes(sample);
        var laps = t.CompletedLaps();
        var best = 0;
        for (var i = 1; i < laps.RowCount; i++)
        {
            if (laps.Time[i] < laps.Time[best])
            {
                best = i;
            }
        }

        Assert.Equal(iteration, laps.Get<int>("iteration")[best]);
        Assert.Equal(episode, laps.Episode[best]);
        if (laps.HasColumn("worker"))
        {
            Assert.Equal(worker, laps.Get<int>("worker")[best]);
        }

        Assert.Equal(steps, laps.Steps[best]);
        Assert.Equal(time, laps.Time[best], 1e-9);
        Assert.Equal(100.0, laps.Progress[best]);
    }

    [Fact]
    public async Task Aggregate_Drfc1Evaluation_ContinuousLapsCountGapIntoNextTrial()
    {
        // sample-drfc-1-logs is the sample whose evaluation trials 1 and 2 start with in_progress and
        // continue the step counter (awk: trial 1 of 20220709200242 starts at steps 223.0, trial 2 at 430.0).
        var t = await EvaluationEpisodes("sample-drfc-1-logs");
        Assert.True(t.IsEvaluation);
        Assert.Equal(9, t.RowCount); // 3 streams x 3 trials
        Assert.False(t.HasColumn("reward"));

        var r0 = EvalRow(t, "20220709200242", 0);
        Assert.Equal(222, t.Steps[r0]);
        Assert.Equal(14.746, t.Time[r0], 1e-9);
        Assert.Equal(17.869486366936467, t.Dist[r0], 1e-4);

        // trial 1: steps 223..429 = 207; time = tstamp(last row of trial 1) - tstamp(last row of trial 0)
        var r1 = EvalRow(t, "20220709200242", 1);
        Assert.Equal(207, t.Steps[r1]);
        Assert.Equal(13.800999999999998, t.Time[r1], 1e-9);
        Assert.Equal(18.352110330368028, t.Dist[r1], 1e-4);

        var r2 = EvalRow(t, "20220709200711", 2);
        Assert.Equal(213, t.Steps[r2]);
        Assert.Equal(14.201, t.Time[r2], 1e-9);
        Assert.Equal(19.59640481352017, t.Dist[r2], 1e-4);
        Assert.Equal(9, t.Complete.ToArray().Sum());
    }

    [Fact]
    public async Task Aggregate_Drfc3Evaluation_OffTrackCountedAndPauseTimeIncluded()
    {
        var t = await EvaluationEpisodes("sample-drfc-3-logs");
        Assert.Equal(9, t.RowCount);
        // python: one off_track row in 20220709201704 trial 2 and in 20220709201920 trial 1, no crashed rows
        Assert.Equal(2, t.Get<int>("off_track").ToArray().Sum());
        Assert.Equal(0, t.Get<int>("crashed").ToArray().Sum());
        var r = EvalRow(t, "20220709201704", 2);
        Assert.Equal(1, t.Get<int>("off_track")[r]);
        Assert.Equal(273, t.Steps[r]);
        Assert.Equal(18.281, t.Time[r], 1e-9);
        Assert.Equal(18.032739984280244, t.Dist[r], 1e-4);
        var q = EvalRow(t, "20220709201920", 1);
        Assert.Equal(1, t.Get<int>("off_track")[q]);
        Assert.Equal(18.296, t.Time[q], 1e-9);
    }

    [Fact]
    public async Task Aggregate_ConsoleEvaluation_TwoStreamsOfThreeTrials()
    {
        var t = await EvaluationEpisodes("sample-console-logs");
        Assert.Equal(6, t.RowCount);
        Assert.Equal(0, t.Get<int>("off_track").ToArray().Sum());
        var r = EvalRow(t, "20220612083508", 1);
        Assert.Equal(256, t.Steps[r]);
        Assert.Equal(17.001999999999995, t.Time[r], 1e-9);
        Assert.Equal(17.56351374142492, t.Dist[r], 1e-4);
    }

    [Fact]
    public async Task Aggregate_DroaEvaluation_StreamIsJobNameAndOffTrackCounted()
    {
        var t = await EvaluationEpisodes("sample-droa-solution-logs");
        Assert.Equal(3, t.RowCount);
        // The job name, without the folder's time stamp (the job's log carries another one).
        var r = EvalRow(t, "deepracerindy-evaluation-9oJ3QbS0SYm7Iag", 0);
        Assert.Equal(1, t.Get<int>("off_track")[r]);
        Assert.Equal(459, t.Steps[r]);
        Assert.Equal(30.824999999999996, t.Time[r], 1e-9);
        Assert.Equal(56.914394987913596, t.Dist[r], 1e-4);
        Assert.Equal(1, t.Get<int>("off_track").ToArray().Sum());
    }

    [Fact]
    public async Task Aggregate_Drfc3Training_HasWorkerAndUniqueEpisodeColumns()
    {
        var t = await TrainingEpisodes("sample-drfc-3-logs");
        Assert.True(t.HasColumn("worker"));
        Assert.True(t.HasColumn("unique_episode"));
        Assert.Equal([0, 1, 2], t.Get<int>("worker").ToArray().Distinct().Order().ToArray());
        // spec 2.6 with E = [10, 10, 10] (awk: max episode in each worker's 0-iteration.csv is 9):
        // worker 2, iteration 5, episode 57 -> 57 mod 10 + 20 + 5*30 = 177; awk: 23 rows of episode 57 in 2/.../5-iteration.csv
        var r = Row(t, 5, 57, worker: 2);
        Assert.Equal(177, t.Get<int>("unique_episode")[r]);
        Assert.Equal(23, t.Steps[r]);
        // fastest lap worker 1, iteration 13, episode 132 -> 2 + 10 + 390 = 402
        Assert.Equal(402, t.Get<int>("unique_episode")[Row(t, 13, 132, worker: 1)]);
        // 690 distinct (worker, iteration, episode) -> 690 distinct unique_episode values, 0..689
        var u = t.Get<int>("unique_episode").ToArray();
        Assert.Equal(690, u.Distinct().Count());
        Assert.Equal(0, u.Min());
        Assert.Equal(689, u.Max());
    }

    [Fact]
    public void Quintiles_Episodes0To99_19IsFirstAnd20IsSecond()
    {
        // spec 6.3: edges -0.099, 19.8, 39.6, 59.4, 79.2, 99
        var q = EpisodeTable.Quintiles(Enumerable.Range(0, 100).ToArray());
        Assert.Equal("1st", q[0]);
        Assert.Equal("1st", q[19]);
        Assert.Equal("2nd", q[20]);
        Assert.Equal("2nd", q[39]);
        Assert.Equal("3rd", q[40]);
        Assert.Equal("4th", q[79]);
        Assert.Equal("5th", q[80]);
        Assert.Equal("5th", q[99]);
        Assert.Equal(20, q.Count(x => x == "1st"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(-3)]
    public void Quintiles_SingleEpisode_IsThird(int episode)
    {
        Assert.Equal(["3rd"], EpisodeTable.Quintiles(new[] { episode }));
        Assert.Equal(["3rd", "3rd"], EpisodeTable.Quintiles(new[] { episode, episode }));
    }

    [Fact]
    public void Quintiles_Empty_ReturnsEmpty() => Assert.Empty(EpisodeTable.Quintiles([]));
    private static async Task<EpisodeTable> FromCsv(string body)
    {
        using var dir = new TempDir();
        var path = dir.Write("0-iteration.csv", "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration\n" + body);
        using var log = await DeepRacerLog.OpenAsync(path);
        return EpisodeTable.Aggregate(await log.LoadTrainingTraceAsync());
    }

    [Fact]
    public async Task Aggregate_SpecSyntheticExample_AllColumns()
    {
        // spec 6.2 synthetic example, worked by hand there: steps 3, start_at 3, progress 3.0, time 0.2, dist 1.5,
        // speed 1.6667, reward 1.5, time_if_complete 6.6667, reward_if_complete 50, complete 0
        var t = await FromCsv(
            "0,1.0,0,0,0,0,1,0,0,False,True,0.5,3,17.7,10.0,prepare,0.0\n" +
            "0,2.0,0.3,0.4,0,0,2,0,1,False,True,1.5,3,17.7,10.1,in_progress,0.0\n" +
            "0,3.0,0.3,1.4,0,0,2,0,0.5,True,True,3.0,4,17.7,10.2,off_track,0.0\n");
        Assert.Equal(["iteration", "episode", "steps", "start_at", "progress", "time", "dist", "new_reward", "speed", "reward", "time_if_complete", "reward_if_complete", "quintile", "complete"],
            t.Columns.Select(c => c.Name).Take(14).ToArray());
        Assert.Equal(3, t.Steps[0]);
        Assert.Equal(3, t.Get<int>("start_at")[0]);
        Assert.Equal(3.0, t.Progress[0]);
        Assert.Equal(0.2, t.Time[0], 1e-9);
        Assert.Equal(1.5, t.Dist[0], 1e-6);
        Assert.Equal(5.0 / 3, t.Get<double>("speed")[0], 1e-6);
        Assert.Equal(1.5, t.Get<double>("reward")[0], 1e-12);
        Assert.Equal(1.5, t.Get<double>("new_reward")[0], 1e-12);
        Assert.Equal(20.0 / 3, t.Get<double>("time_if_complete")[0], 1e-9);
        Assert.Equal(50.0, t.Get<double>("reward_if_complete")[0], 1e-9);
        Assert.Equal("3rd", t.Get<string>("quintile")[0]); // a single episode
        Assert.Equal(0, t.Complete[0]);
    }

    [Fact]
    public async Task Aggregate_ZeroProgress_TimeIfCompleteInfiniteOrNaN()
    {
        var t = await FromCsv(
            "0,1.0,0,0,0,0,1,0,0,False,True,0,3,17.7,10.0,prepare,0.0\n" +
            "0,2.0,0,0,0,0,1,0,0,True,True,0,3,17.7,10.1,off_track,0.0\n" +
            "1,1.0,0,0,0,0,1,0,0,True,True,0,3,17.7,11.0,prepare,0.0\n");
        Assert.True(double.IsPositiveInfinity(t.Get<double>("time_if_complete")[0]));
        Assert.True(double.IsNaN(t.Get<double>("time_if_complete")[1]));
    }
    [Fact]
    public async Task Aggregate_ConsoleTraining_QuintilesOf112Episodes()
    {
        // python: episodes 0..559 present; spec 6.3 edges -0.559, 111.8, 223.6, 335.4, 447.2, 559 -> 112 per bin
        var t = await TrainingEpisodes("sample-console-logs");
        var q = t.Get<string>("quintile").ToArray();
        Assert.Equal([112, 112, 112, 112, 112], new[] { "1st", "2nd", "3rd", "4th", "5th" }.Select(n => q.Count(x => x == n)).ToArray());
        var ep = t.Episode.ToArray();
        Assert.Equal("1st", q[Array.IndexOf(ep, 111)]);
        Assert.Equal("2nd", q[Array.IndexOf(ep, 112)]);
    }
}
