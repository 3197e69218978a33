using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Tables;

public class RunColumnTests
{
    [Fact]
    public void Set_RepeatedValues_KeepOneRun()
    {
        var column = new RunColumn<float>();
        for (var row = 0; row < 1000; row++)
        {
            column.Set(row, 17.709159f);
        }

        Assert.Equal(1, column.RunCount);
        Assert.All(column.Materialize(1000), v => Assert.Equal(17.709159f, v));
    }

    [Fact]
    public void Set_SameRowAgain_ReplacesItsValue()
    {
        // A row that failed to parse is written again at the same index with the next line's values.
        var column = new RunColumn<float>();
        column.Set(0, 0f);
        column.Set(1, 0f);
        column.Set(2, 5f);
        column.Set(2, 0f);
        column.Set(3, float.NaN);
        column.Set(4, float.NaN);

        Assert.Equal([0f, 0f, 0f, float.NaN, float.NaN], column.Materialize(5));
        Assert.Equal(2, column.RunCount);
    }

    [Fact]
    public void Truncate_DropsRunsFromThatRowOn()
    {
        var column = RunColumn<float>.From([1f, 1f, 2f, 2f, 3f]);

        column.Truncate(3);

        Assert.Equal([1f, 1f, 2f], column.Materialize(3));
        Assert.Equal(2f, column.Get(2));
    }

    [Fact]
    public async Task TrackLenAndPause_Droa_MatchTheCsv()
    {
        var steps = await Samples.Evaluation("sample-droa-solution-logs");

        // Python csv scan of the evaluation CSV: 1302 rows, one track_len 59.99785047027138, 32 rows with a
        // non-zero pause_duration: rows 265..296 (0-based), from 1.9860000000000042 down to -0.001999999999995339.
        Assert.Equal(1302, steps.PauseDuration.Length);
        Assert.All(steps.TrackLen.ToArray(), v => Assert.Equal(59.99785047027138f, v));
        var pauses = steps.PauseDuration.ToArray().Select((v, i) => (v, i)).Where(p => p.v != 0).ToList();
        Assert.Equal(32, pauses.Count);
        Assert.Equal((1.9860000000000042f, 265), pauses[0]);
        Assert.Equal((-0.001999999999995339f, 296), pauses[^1]);
    }
}
