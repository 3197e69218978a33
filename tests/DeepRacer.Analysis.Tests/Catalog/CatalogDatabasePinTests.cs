using System.Diagnostics;
using DeepRacer.Analysis.Catalog;

namespace DeepRacer.Analysis.Tests.Catalog;

/// <summary>
/// Pins the catalog file's rules: <c>cloned</c> in both directions, CSV quoting of values that start with a separator,
/// a quote or a line break, the newest-first order with its tie-breaks, and the lock's wait and time-out.
/// </summary>
public sealed class CatalogDatabasePinTests
{
    private static readonly DateTimeOffset s_t0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static CatalogRow Row(string id, string type = CatalogLogType.Evaluation) => new() { Id = id, LogType = type };

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    [InlineData(null, "")]
    public void Cloned_WrittenAndReadBack(bool? cloned, string field)
    {
        var row = Row("sim-a") with { Cloned = cloned };

        Assert.Equal(field, CatalogDatabase.Fields(row)[4]);
        var back = Assert.Single(CatalogDatabase.Parse(CatalogDatabase.Format([row]), "db.csv").Rows);
        Assert.Equal(cloned, back.Cloned);
    }

    [Theory]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("0", false)]
    [InlineData("No", false)]
    public void Cloned_HandWrittenSpellings(string text, bool expected)
    {
        var csv = CatalogDatabase.Format([Row("sim-a") with { Cloned = true }]).Replace(",evaluation,,true,", $",evaluation,,{text},", StringComparison.Ordinal);

        Assert.Equal(expected, Assert.Single(CatalogDatabase.Parse(csv, "db.csv").Rows).Cloned);
    }

    [Fact]
    public void Cloned_Garbage_IsAMalformedRowNotAGuess()
    {
        var csv = CatalogDatabase.Format([Row("sim-a") with { Cloned = true }]).Replace(",evaluation,,true,", ",evaluation,,maybe,", StringComparison.Ordinal);

        var snapshot = CatalogDatabase.Parse(csv, "db.csv");

        Assert.Empty(snapshot.Rows);
        Assert.Contains("cloned 'maybe' is not true or false", Assert.Single(snapshot.Malformed).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(",starts with a comma", "\",starts with a comma\"")]
    [InlineData("\"quoted\" start", "\"\"\"quoted\"\" start\"")]
    [InlineData("\nnew line first", "\"\nnew line first\"")]
    [InlineData("\rreturn first", "\"\rreturn first\"")]
    [InlineData("plain text", "plain text")]
    public void Quoting_ValuesStartingWithASeparatorQuoteOrLineBreak(string model, string written)
    {
        var row = Row("sim-a") with { ModelName = model };

        var csv = CatalogDatabase.Format([row]);

        Assert.StartsWith("sim-a," + written + ",evaluation,", csv.Split('\n', 2)[1], StringComparison.Ordinal);
        Assert.Equal(model, Assert.Single(CatalogDatabase.Parse(csv, "db.csv").Rows).ModelName);
    }

    [Fact]
    public void NewestFirst_ByLastEventThenFirstEventThenFetched_TiesByFetchedThenKey()
    {
        CatalogRow[] rows =
        [
            Row("a") with { FetchedAt = s_t0 },                                                            // only fetched: t0
            Row("b") with { LastEventTimestamp = s_t0.AddHours(2), FetchedAt = s_t0 },                     // last event t0+2h
            Row("c") with { FirstEventTimestamp = s_t0.AddHours(3) },                                      // first event t0+3h
            Row("d") with { LastEventTimestamp = s_t0.AddHours(2), FetchedAt = s_t0.AddHours(1) },         // tie with b, fetched later
            Row("e", CatalogLogType.Leaderboard) with { LastEventTimestamp = s_t0.AddHours(2), FetchedAt = s_t0 }, // tie with b: key order
            Row("f"),                                                                                      // nothing: last
        ];

        var sorted = CatalogDatabase.Sort(rows);

        Assert.Equal(["evaluation-c", "evaluation-d", "evaluation-b", "leaderboard-e", "evaluation-a", "evaluation-f"], sorted.Select(r => r.Key));
    }

    [Fact]
    public void Lock_HeldByAnotherRun_WaitsThenTimesOutWithOneLine()
    {
        using var dir = new TempDir();
        var db = new CatalogDatabase(Path.Combine(dir.Path, "db.csv")) { LockTimeout = TimeSpan.FromSeconds(1) };
        using var held = new FileStream(Path.Combine(dir.Path, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<DeepRacerLogException>(() => db.Update(rows => rows.Add(Row("sim-a"))));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"gave up after {clock.Elapsed}");
        Assert.Equal($"{Path.Combine(dir.Path, ".lock")}: another drlog run has held the catalog lock for over 1 s; wait for it to finish and retry.", e.Message);
        Assert.False(File.Exists(db.Path));
    }

    [Fact]
    public void Lock_ReleasedWhileWaiting_TheUpdateGoesThrough()
    {
        using var dir = new TempDir();
        var db = new CatalogDatabase(Path.Combine(dir.Path, "db.csv")) { LockTimeout = TimeSpan.FromSeconds(30) };
        var held = new FileStream(Path.Combine(dir.Path, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        using var release = Task.Delay(300).ContinueWith(_ => held.Dispose(), TaskScheduler.Default);

        var snapshot = db.Update(rows => rows.Add(Row("sim-a")));

        Assert.True(release.IsCompleted);
        Assert.Equal("sim-a", Assert.Single(snapshot.Rows).Id);
        Assert.Equal("sim-a", Assert.Single(db.Read().Rows).Id);
    }
}
