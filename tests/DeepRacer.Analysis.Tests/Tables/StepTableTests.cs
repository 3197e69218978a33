using System.Globalization;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Tables;

public class StepTableTests
{
    [Theory]
    // python csv: data rows over all training CSVs of the sample
    [InlineData("sample-drfc-1-logs", 39392, 1)]
    [InlineData("sample-drfc-3-logs", 43749, 3)]
    [InlineData("sample-console-logs", 44247, 1)]
    [InlineData("sample-droa-solution-logs", 846, 1)]
    public async Task LoadTraining_Sample_AllRowsNoBadLines(string sample, int rows, int workers)
    {
        var t = await Samples.Training(sample);
        Assert.Equal(StepTableKind.Training, t.Kind);
        Assert.Equal(rows, t.RowCount);
        Assert.Equal(0, t.Report.BadLineCount);
        Assert.Equal(workers, t.WorkerCount);
    }

    [Theory]
    [InlineData("sample-drfc-1-logs", 1911, 3)]
    [InlineData("sample-drfc-3-logs", 2177, 3)]
    [InlineData("sample-console-logs", 1479, 2)]
    [InlineData("sample-droa-solution-logs", 1302, 1)]
    public async Task LoadEvaluation_Sample_AllRowsAndStreams(string sample, int rows, int streams)
    {
        var t = await Samples.Evaluation(sample);
        Assert.Equal(rows, t.RowCount);
        Assert.Equal(streams, t.Streams.Count);
        Assert.Equal(0, t.Report.BadLineCount);
    }

    [Fact]
    public async Task LoadTraining_Drfc1_UniqueEpisodeEqualsEpisode()
    {
        // spec 2.6: with one worker unique_episode reproduces episode
        var t = await Samples.Training("sample-drfc-1-logs");
        Assert.Equal(t.Episode.ToArray(), t.UniqueEpisode.ToArray());
    }

    [Fact]
    public async Task LoadTraining_Drfc3_UniqueEpisodeFormulaOnRows()
    {
        var t = await Samples.Training("sample-drfc-3-logs");
        var rows = 0;
        for (var i = 0; i < t.RowCount; i++)
        {
            // E[w] = 10 for every worker (awk: max episode 9 in each 0-iteration.csv), E_total = 30
            var expected = (t.Episode[i] % 10) + (10 * t.Worker[i]) + (30 * t.Iteration[i]);
            Assert.Equal(expected, t.UniqueEpisode[i]);
            if (t.Worker[i] == 2 && t.Iteration[i] == 5 && t.Episode[i] == 57)
            {
                Assert.Equal(177, t.UniqueEpisode[i]);
                rows++;
            }
        }

        Assert.Equal(23, rows); // awk: 23 rows of episode 57 in 2/training-simtrace/5-iteration.csv
        Assert.Equal([0, 1, 2], t.Worker.ToArray().Distinct().Order().Select(w => (int)w).ToArray());
    }

    [Fact]
    public async Task LoadTraining_Drfc3_SortedByUniqueEpisodeThenSteps()
    {
        var t = await Samples.Training("sample-drfc-3-logs");
        for (var i = 1; i < t.RowCount; i++)
        {
            var ok = t.UniqueEpisode[i - 1] < t.UniqueEpisode[i]
                || (t.UniqueEpisode[i - 1] == t.UniqueEpisode[i] && t.Steps[i - 1] <= t.Steps[i]);
            Assert.True(ok, $"row {i} out of order");
        }
    }

    [Fact]
    public async Task LoadEvaluation_Drfc1_SortedByStreamEpisodeSteps()
    {
        var t = await Samples.Evaluation("sample-drfc-1-logs");
        Assert.Equal(["20220709200242", "20220709200509", "20220709200711"], t.Streams);
        for (var i = 1; i < t.RowCount; i++)
        {
            var a = (t.Stream[i - 1], t.Episode[i - 1], t.Steps[i - 1]);
            var b = (t.Stream[i], t.Episode[i], t.Steps[i]);
            Assert.True(a.CompareTo(b) <= 0, $"row {i} out of order");
        }

        Assert.All(t.Worker.ToArray(), w => Assert.Equal(0, w));
    }

    [Fact]
    public async Task LoadTraining_Drfc1FirstRow_ValuesFromCsv()
    {
        // head -2 training-simtrace/0-iteration.csv:
        // 0,1.0,3.1999032745384617,0.6830977174476494,0.18402830554025268,20.0,1.0,10,0.0,False,True,0.7915139235659773,1,17.709159380834848,27.788,prepare,0.0
        var t = await Samples.Training("sample-drfc-1-logs");
        Assert.Equal(0, t.Episode[0]);
        Assert.Equal(1, t.Steps[0]);
        Assert.Equal(3.1999032745384617f, t.X[0]);
        Assert.Equal(0.6830977174476494f, t.Y[0]);
        Assert.Equal(20f, t.SteeringAngle[0]);
        Assert.Equal(1f, t.Speed[0]);
        Assert.Equal(10, t.Action[0]);
        Assert.Equal(0.7915139235659773, t.Progress[0]);
        Assert.Equal(27.788, t.Tstamp[0]);
        Assert.Equal(EpisodeStatus.Prepare, t.Status[0]);
        Assert.Equal(1, t.ClosestWaypoint[0]);
        Assert.False(t.HasWallClock); // 17-column CSV
    }
    [Fact]
    public async Task LoadTraining_TwelveUnevenWorkers_UniqueEpisodeFromSpecFormula()
    {
        // Worker w runs E[w] = 1 + (w mod 3) episodes per iteration (episode counter continues across iterations).
        // spec 2.6: unique = (episode mod E[w]) + before[w] + iteration * E_total.
        const string header = "episode,steps,X,Y,yaw,steer,throttle,action,reward,done,all_wheels_on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration\n";
        using var dir = new TempDir();
        int[] e = [.. Enumerable.Range(0, 12).Select(w => 1 + (w % 3))];
        var before = new int[12];
        for (var w = 1; w < 12; w++)
        {
            before[w] = before[w - 1] + e[w - 1];
        }

        var total = e.Sum(); // 24
        var expected = new Dictionary<(int Worker, int Iteration, int Episode), int>();
        for (var w = 0; w < 12; w++)
        {
            for (var it = 0; it < 2; it++)
            {
                var sb = new System.Text.StringBuilder(header);
                for (var k = 0; k < e[w]; k++)
                {
                    var ep = (it * e[w]) + k;
                    sb.Append(CultureInfo.InvariantCulture, $"{ep},1.0,0,0,0,0,1,0,0,False,True,1,1,17.7,{ep}.0,prepare,0.0\n");
                    sb.Append(CultureInfo.InvariantCulture, $"{ep},2.0,0,1,0,0,1,0,1,True,True,2,1,17.7,{ep}.5,off_track,0.0\n");
                    expected[(w, it, ep)] = (ep % e[w]) + before[w] + (it * total);
                }

                dir.Write($"{w}/training-simtrace/{it}-iteration.csv", sb.ToString());
            }
        }

        using var log = await DeepRacerLog.OpenAsync(dir.Path);
        Assert.Equal(FolderType.DrfcModelMultipleWorkers, log.FolderType);
        var t = await log.LoadTrainingTraceAsync();
        Assert.Equal(12, t.WorkerCount);
        Assert.Equal(2 * 2 * total, t.RowCount);
        for (var i = 0; i < t.RowCount; i++)
        {
            Assert.Equal(expected[(t.Worker[i], t.Iteration[i], t.Episode[i])], t.UniqueEpisode[i]);
        }

        Assert.Equal(Enumerable.Range(0, 2 * total).ToArray(), t.UniqueEpisode.ToArray().Distinct().Order().ToArray());
        var episodes = DeepRacer.Analysis.Episodes.EpisodeTable.Aggregate(t);
        Assert.Equal(2 * total, episodes.RowCount);
        Assert.Contains(11, episodes.Get<int>("worker").ToArray());
    }
}
