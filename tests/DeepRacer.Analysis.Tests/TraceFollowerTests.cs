using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests;

public sealed class TraceFollowerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "drlog-follow-" + Guid.NewGuid().ToString("N"));

    public TraceFollowerTests()
    {
        // The 1-worker sample's traces up to iteration 24; 25 arrives during the test.
        var simtrace = Path.Combine(_folder, "training-simtrace");
        Directory.CreateDirectory(simtrace);
        for (var i = 0; i <= 24; i++)
        {
            File.Copy(Path.Combine(TestSupport.Sample("sample-drfc-1-logs"), "training-simtrace", $"{i}-iteration.csv"), Path.Combine(simtrace, $"{i}-iteration.csv"));
        }
    }

    [Fact]
    public async Task NewFile_IsLoadedAlone_OnlyOnceComplete_AndStable()
    {
        using var source = new FolderSource(_folder);
        var follower = new TraceFollower(source, StepTableKind.Training);
        var all = await Samples.Training("sample-drfc-1-logs");
        var rowsUpTo = (int last) => all.Iteration.ToArray().Count(i => i <= last);

        var first = await follower.PollAsync();
        Assert.Equal(25, first.FilesLoaded.Count);
        Assert.Equal(rowsUpTo(24), follower.Steps!.RowCount);

        // Half of iteration 25, cut at a line inside an episode (its last step is not done): never loaded.
        var path = Path.Combine(_folder, "training-simtrace", "25-iteration.csv");
        var full = await File.ReadAllBytesAsync(Path.Combine(TestSupport.Sample("sample-drfc-1-logs"), "training-simtrace", "25-iteration.csv"));
        var half = full[..(Array.LastIndexOf(full, (byte)'\n', full.Length / 2) + 1)];
        Assert.False(TraceFollower.IsComplete(half));
        await File.WriteAllBytesAsync(path, half);
        for (var i = 0; i < 3; i++)
        {
            var poll = await follower.PollAsync();
            Assert.Empty(poll.FilesLoaded);
            Assert.Equal(["training-simtrace/25-iteration.csv"], poll.FilesWaiting);
        }

        // The whole file: seen once (a folder file may still grow), then loaded alone and appended.
        await File.WriteAllBytesAsync(path, full);
        Assert.Empty((await follower.PollAsync()).FilesLoaded);
        var loaded = await follower.PollAsync();
        Assert.Equal(["training-simtrace/25-iteration.csv"], loaded.FilesLoaded);
        Assert.False(loaded.Reloaded);
        Assert.Equal(rowsUpTo(25), follower.Steps!.RowCount);
        Assert.True(all.Reward[..rowsUpTo(25)].SequenceEqual(follower.Steps.Reward));
        Assert.Empty((await follower.PollAsync()).FilesLoaded);
    }

    [Fact]
    public async Task FileMidWrite_AtTheFirstPoll_WaitsAndTheRestLoads()
    {
        var full = await File.ReadAllBytesAsync(Path.Combine(TestSupport.Sample("sample-drfc-1-logs"), "training-simtrace", "25-iteration.csv"));
        await File.WriteAllBytesAsync(Path.Combine(_folder, "training-simtrace", "25-iteration.csv"), full[..(full.Length / 3)]);
        using var source = new FolderSource(_folder);
        var follower = new TraceFollower(source, StepTableKind.Training);

        var first = await follower.PollAsync();

        Assert.Equal(["training-simtrace/25-iteration.csv"], first.FilesWaiting);
        Assert.Equal(24, follower.Steps!.Iteration.ToArray().Max());
    }

    [Theory]
    [InlineData("episode,steps,done\n1,1,False\n1,2,True\n", true)]
    [InlineData("episode,steps,done\n1,1,False\n1,2,True", false)]
    [InlineData("episode,steps,done\n1,1,False\n", false)]
    [InlineData("episode,steps,done\n", false)]
    [InlineData("", false)]
    public void IsComplete_NeedsAFullLastLineThatEndsAnEpisode(string csv, bool complete) =>
        Assert.Equal(complete, TraceFollower.IsComplete(System.Text.Encoding.ASCII.GetBytes(csv)));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
