using DeepRacer.Analysis.Metrics;
using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Tests.Sources;

/// <summary>
/// One dispatch of locations (<see cref="ModelSource.Classify"/>) that the model, the metrics and the trainer log all
/// read through: a file given alone is read the same way whichever reader asks.
/// </summary>
public sealed class LocationDispatchTests
{
    [Theory]
    [InlineData("sample-drfc-1-logs", LocationKind.Folder)]
    [InlineData("sample-droa-solution-logs.tar.gz", LocationKind.Archive)]
    [InlineData("sample-drfc-1-logs/metrics/TrainingMetrics.json", LocationKind.File)]
    [InlineData("no-such-model", LocationKind.Missing)]
    public void Classify_LocalLocations(string sample, LocationKind expected) =>
        Assert.Equal(expected, ModelSource.Classify(TestSupport.Sample(sample)));

    [Fact]
    public void Classify_S3_NeedsNoRequest() => Assert.Equal(LocationKind.S3, ModelSource.Classify("s3://bucket/model"));

    [Fact]
    public async Task TrainerLog_GivenAsAFile_ReadsTheSameEpochsAsFromItsModel()
    {
        // The console sample's one sagemaker log: 84 'Policy training>' lines (grep -c).
        var log = Directory.GetFiles(Path.Combine(TestSupport.Sample("sample-console-logs"), "logs", "training"), "*-sagemaker.log").Single();

        var fromFile = await TrainerLog.LoadAsync(log);
        var fromModel = await TrainerLog.LoadAsync(TestSupport.Sample("sample-console-logs"));

        Assert.Equal(84, fromFile!.Epochs.Count);
        Assert.Equal(fromModel!.Epochs, fromFile.Epochs);
        Assert.Null(await TrainerLog.LoadAsync(TestSupport.Sample("sample-drfc-1-logs/metrics/TrainingMetrics.json")));
    }

    [Fact]
    public async Task MetricsFile_DeletedWhileWatched_SaysItIsGone()
    {
        using var temp = new TempDir();
        var file = temp.Write("TrainingMetrics.json", File.ReadAllText(TestSupport.Sample("sample-drfc-1-logs/metrics/TrainingMetrics.json")));
        using var watcher = new MetricsWatcher([file]);
        var first = await watcher.PollAsync();
        File.Delete(file);

        var second = await watcher.PollAsync();

        Assert.Equal([Path.GetFullPath(file)], first.FilesRead);
        Assert.Equal($"{Path.GetFullPath(file)} does not exist (any more): give an existing training metrics .json file.", second.Warning);
        Assert.Equal(first.Metrics.Rows.Count, second.Metrics.Rows.Count);
    }
}
