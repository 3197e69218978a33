using System.Security.Cryptography;
using DeepRacer.Analysis.Catalog;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Catalog;

/// <summary>Rotated logs (name.log.2, name.log.1, name.log: oldest first) and logs from a stream, imported as one log.</summary>
public sealed class RolledOverImportTests
{
    // sha256sum of the console sample's first evaluation log (its CloudWatch copy is byte for byte the same).
    private const string Evaluation1Sha = "dd34dbe8ebbbc5990bfdec1db7475cdd5738859fc880c78c19d07bd7baf6881e";

    /// <summary>Splits the sample into three rotated parts at line 300 and 700 (a rotating handler cuts between lines).</summary>
    private static string RotatedFolder(TempDir dir)
    {
        var lines = File.ReadAllText(CloudWatchSamples.ConsoleEvaluation1).Split('\n');
        var folder = Path.Combine(dir.Path, "robomaker");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "robomaker.log.2"), string.Join('\n', lines[..300]) + "\n");
        File.WriteAllText(Path.Combine(folder, "robomaker.log.1"), string.Join('\n', lines[300..700]) + "\n");
        File.WriteAllText(Path.Combine(folder, "robomaker.log"), string.Join('\n', lines[700..]));
        return folder;
    }

    [Fact]
    public async Task Import_RotatedParts_OneLogInOrder()
    {
        using var dir = new TempDir();
        var folder = RotatedFolder(dir);
        var catalog = LogCatalog.Open(Path.Combine(dir.Path, "catalog"));

        var results = await catalog.ImportAsync([folder]);

        var result = Assert.Single(results);
        Assert.Equal(CatalogOutcome.Imported, result.Outcome);
        var row = Assert.Single(catalog.Local.Read().Rows);
        Assert.Equal((CatalogLogType.Evaluation, 1045L, 112947L, Evaluation1Sha), (row.LogType, row.Events!.Value, row.Bytes!.Value, row.Sha256));
        var file = catalog.Find(row.Id)!.FilePath;
        Assert.Equal(Evaluation1Sha, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))));

        // Naming one part imports the whole log again, as the same row.
        await catalog.ImportAsync([Path.Combine(folder, "robomaker.log")]);
        Assert.Equal(row.Key, Assert.Single(catalog.Local.Read().Rows).Key);
    }

    [Fact]
    public void RolledOver_OrdersOldestFirst_AndLeavesOtherFilesAlone()
    {
        using var dir = new TempDir();
        var folder = RotatedFolder(dir);
        File.WriteAllText(Path.Combine(folder, "sagemaker.log"), "x\n");
        File.WriteAllText(Path.Combine(folder, "robomaker.log.10"), "x\n");

        var logs = LogCatalog.RolledOver([Path.Combine(folder, "robomaker.log.1"), Path.Combine(folder, "sagemaker.log")]);

        Assert.Equal(
            [["robomaker.log.10", "robomaker.log.2", "robomaker.log.1", "robomaker.log"], ["sagemaker.log"]],
            logs.Select(l => l.Select(Path.GetFileName).ToArray()).ToArray());
    }

    [Fact]
    public async Task ImportStream_NamedLikeAConsoleLog_TakesIdTimeAndType_AndLoadsItsEpisodes()
    {
        using var dir = new TempDir();
        var catalog = LogCatalog.Open(dir.Path);
        await using var input = File.OpenRead(CloudWatchSamples.ConsoleLeaderboard1);

        var result = await catalog.ImportStreamAsync(input, "leaderboard-20220703172842-wDhqXQC-SkGOinLUdZCQZQ-robomaker.log");

        Assert.Equal(("leaderboard-wDhqXQC-SkGOinLUdZCQZQ", CatalogOutcome.Imported, CatalogStatus.Ok), (result.Key, result.Outcome, result.Status!.Value));
        using var log = await DeepRacerLog.OpenAsync(catalog.Find("wDhqXQC-SkGOinLUdZCQZQ")!.FilePath);
        var fromCatalog = EpisodeTable.Aggregate(await log.LoadAsync(StepTableKind.Leaderboard));
        using var original = await DeepRacerLog.OpenAsync(CloudWatchSamples.ConsoleLeaderboard1);
        var fromSample = EpisodeTable.Aggregate(await original.LoadAsync(StepTableKind.Leaderboard));
        Assert.Equal(fromSample.Time.ToArray(), fromCatalog.Time.ToArray());
        Assert.True(fromCatalog.RowCount > 0);
    }

    [Theory]
    [InlineData("robomaker.log")]
    [InlineData("robomaker.log.1")]
    public async Task Open_OnePartOfARotatedLog_LoadsTheWholeLog(string part)
    {
        using var dir = new TempDir();
        var folder = RotatedFolder(dir);
        using var whole = await DeepRacerLog.OpenAsync(CloudWatchSamples.ConsoleEvaluation1);
        var expected = EpisodeTable.Aggregate(await whole.LoadAsync(StepTableKind.Evaluation));

        using var rotated = await DeepRacerLog.OpenAsync(Path.Combine(folder, part));
        var steps = await rotated.LoadAsync(StepTableKind.Evaluation);
        var episodes = EpisodeTable.Aggregate(steps);

        // The sample's 3 trials come back whole and in order: all 737 steps (grep -c SIM_TRACE_LOG), the episodes of the file itself.
        Assert.Equal(737, steps.RowCount);
        Assert.Equal(3, episodes.RowCount);
        Assert.Equal(0, steps.Report.BadLineCount);
        Assert.Equal(expected.Steps.ToArray(), episodes.Steps.ToArray());
        Assert.Equal(expected.Time.ToArray(), episodes.Time.ToArray());
        Assert.Equal(expected.Progress.ToArray(), episodes.Progress.ToArray());
    }
}
