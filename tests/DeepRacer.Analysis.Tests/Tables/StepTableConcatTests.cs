using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Tables;

public sealed class StepTableConcatTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TrainingHalves_Joined_EqualOneLoadOfEveryFile(bool laterFirst)
    {
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample("sample-drfc-3-logs"));
        var traces = log.Layout.TrainingTraces;
        var early = await TraceLoader.LoadSimtraceAsync(log.Source, [.. traces.Where(t => t.Iteration < 12)], StepTableKind.Training, null, default);
        var late = await TraceLoader.LoadSimtraceAsync(log.Source, [.. traces.Where(t => t.Iteration >= 12)], StepTableKind.Training, null, default);
        var all = await Samples.Training("sample-drfc-3-logs");

        var joined = laterFirst ? StepTable.Concat(late, early) : StepTable.Concat(early, late);

        Assert.Equal(all.RowCount, joined.RowCount);
        Assert.Equal(3, joined.WorkerCount);
        Assert.True(all.UniqueEpisode.SequenceEqual(joined.UniqueEpisode));
        Assert.True(all.Steps.SequenceEqual(joined.Steps));
        Assert.True(all.Worker.SequenceEqual(joined.Worker));
        Assert.True(all.X.SequenceEqual(joined.X));
        Assert.True(all.Reward.SequenceEqual(joined.Reward));
        Assert.True(all.TrackLen.SequenceEqual(joined.TrackLen));
        Assert.True(all.Status.SequenceEqual(joined.Status));
        Assert.Equal(all.Report.Files, joined.Report.Files);
        Assert.True(EpisodeTable.Aggregate(all).Time.SequenceEqual(EpisodeTable.Aggregate(joined).Time));
    }

    [Fact]
    public async Task EvaluationRuns_Joined_KeepTheirStreams()
    {
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample("sample-drfc-3-logs"));
        var traces = log.Layout.EvaluationTraces;
        var streams = traces.Select(t => t.Stream).Distinct().Order(StringComparer.Ordinal).ToList();
        var last = await TraceLoader.LoadSimtraceAsync(log.Source, [.. traces.Where(t => t.Stream == streams[^1])], StepTableKind.Evaluation, null, default);
        var rest = await TraceLoader.LoadSimtraceAsync(log.Source, [.. traces.Where(t => t.Stream != streams[^1])], StepTableKind.Evaluation, null, default);
        var all = await Samples.Evaluation("sample-drfc-3-logs");

        var joined = StepTable.Concat(last, rest);

        Assert.Equal(streams, joined.Streams);
        Assert.True(all.Stream.SequenceEqual(joined.Stream));
        Assert.True(all.Progress.SequenceEqual(joined.Progress));
        var training = await Samples.Training("sample-drfc-1-logs");
        Assert.Throws<ArgumentException>(() => StepTable.Concat(all, training));
    }
}
