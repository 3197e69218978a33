using DeepRacer.Analysis.Rewards;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Tests.Rewards;

/// <summary>
/// Totals, ranks, correlation and tables of a comparison. comparison-steps.csv: four episodes of a prepare row and two
/// scored rows, logged rewards (1, 2), (5, nan), (0.5, 0.5), (2, 2); the new reward is progress / 10, giving (1, 7),
/// (0.5, 0.5), (0.5, 5.5), (1, 1). Ranks and correlations checked with python3 (stable sort, numpy.corrcoef), sample totals
/// summed with python3's csv module.
/// </summary>
public class RewardComparisonTests
{
    private static readonly Track s_reinvent = TrackCatalog.Find("reinvent_base")!;

    private static double TenthOfProgress(RewardParams p) => p.Progress / 10;

    private static async Task<RewardReplayResult> ReplayFixtureAsync(Func<RewardParams, double> function, RewardReplayOptions? options = null) =>
        RewardReplay.Run(await RewardParamsTests.LoadFixtureAsync("comparison-steps.csv"), s_reinvent, function, options);

    [Fact]
    public async Task Analyze_TotalsSkipMissingRewards_RanksAndCorrelation()
    {
        var comparison = RewardComparison.Analyze(await ReplayFixtureAsync(TenthOfProgress));
        var episodes = comparison.Episodes;

        Assert.Equal(["iteration", "episode", "reward", "new_reward", "rank", "new_rank", "rank_change"], episodes.Columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0], episodes.Get<int>("iteration").ToArray());
        Assert.Equal([0, 1, 2, 3], episodes.Get<int>("episode").ToArray());
        Assert.Equal([3.0, 5.0, 1.0, 4.0], episodes.Get<double>("reward").ToArray());
        Assert.Equal([8.0, 1.0, 6.0, 2.0], episodes.Get<double>("new_reward").ToArray());
        Assert.Equal([3, 1, 4, 2], episodes.Get<int>("rank").ToArray());
        Assert.Equal([1, 4, 2, 3], episodes.Get<int>("new_rank").ToArray());
        Assert.Equal([2, -3, 2, -1], episodes.Get<int>("rank_change").ToArray());
        Assert.Equal(-0.7236464068434283, comparison.EpisodeCorrelation, 1e-12);
        // Equal steps: episode 0's first (1 = 1) and episode 2's first (0.5 = 0.5); nan never matches.
        Assert.Equal(8, comparison.Steps);
        Assert.Equal(2, comparison.MatchingSteps);
        Assert.Equal(0.25, comparison.Agreement);
    }

    [Fact]
    public async Task RankChanges_LargestChangeFirst_TiesByNewRank()
    {
        var comparison = RewardComparison.Analyze(await ReplayFixtureAsync(TenthOfProgress));

        // |rank_change| 3 (episode 1), then 2 twice: episode 0 (new rank 1) before episode 2 (new rank 2).
        Assert.Equal([1, 0, 2], comparison.RankChanges(3).Get<int>("episode").ToArray());
        Assert.Equal([1, 0, 2, 3], comparison.RankChanges().Get<int>("episode").ToArray());
    }

    [Fact]
    public async Task PerStep_OneRowPerScoredStep_WithParamsOnRequest()
    {
        var comparison = RewardComparison.Analyze(await ReplayFixtureAsync(TenthOfProgress));

        var plain = comparison.PerStep();
        var full = comparison.PerStep(withParams: true);

        Assert.Equal(["iteration", "episode", "steps", "reward", "new_reward"], plain.Columns.Select(c => c.Name));
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3], plain.Get<int>("episode").ToArray());
        Assert.Equal([2, 3, 2, 3, 2, 3, 2, 3], plain.Get<int>("steps").ToArray());
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0], plain.Get<int>("iteration").ToArray());
        Assert.Equal([1.0, 2.0, 5.0, double.NaN, 0.5, 0.5, 2.0, 2.0], plain.Get<double>("reward").ToArray());
        Assert.Equal([1.0, 7.0, 0.5, 0.5, 0.5, 5.5, 1.0, 1.0], plain.Get<double>("new_reward").ToArray());
        Assert.Equal(5 + 17, full.Columns.Count);
        Assert.Equal([10.0, 70.0, 5.0, 5.0, 5.0, 55.0, 10.0, 10.0], full.Get<double>("progress").ToArray());
    }

    [Fact]
    public async Task NewRewardPerRow_ZeroOnPrepareRows()
    {
        var result = await ReplayFixtureAsync(TenthOfProgress);

        Assert.Equal([0, 1.0, 7.0, 0, 0.5, 0.5, 0, 0.5, 5.5, 0, 1.0, 1.0], result.NewRewardPerRow());
    }

    [Fact]
    public async Task SkipErrors_FailedStepsAreNaN_CountedAndLeftOutOfTheTotals()
    {
        // Fails on the two steps with progress over 50: episode 0's second, then episode 2's second.
        var result = await ReplayFixtureAsync(
            p => p.Progress > 50 ? throw new InvalidOperationException("too far") : TenthOfProgress(p), new RewardReplayOptions { SkipErrors = true });
        var comparison = RewardComparison.Analyze(result);

        Assert.Equal(2, result.ErrorCount);
        Assert.Equal(new StepLocation(0, 0, 3), result.FirstError!.Step);
        Assert.Equal(RewardErrorKind.Raised, result.FirstError.Kind);
        Assert.Equal([1.0, double.NaN, 0.5, 0.5, 0.5, double.NaN, 1.0, 1.0], result.NewReward);
        Assert.Equal([1.0, 1.0, 0.5, 2.0], comparison.Episodes.Get<double>("new_reward").ToArray());
    }

    [Fact]
    public async Task Run_FunctionThrows_StopsWithTheStepAndItsParams()
    {
        var e = await Assert.ThrowsAsync<RewardFunctionException>(() =>
            ReplayFixtureAsync(p => p.Progress > 50 ? throw new InvalidOperationException("too far") : 1));

        Assert.Equal(RewardErrorKind.Raised, e.Kind);
        Assert.StartsWith("reward function threw InvalidOperationException: too far at iteration 0, episode 0, step 3.\n", e.Message, StringComparison.Ordinal);
        Assert.Equal(new StepLocation(0, 0, 3), e.Step);
        Assert.Equal(70.0, e.Parameters!.Progress);
        Assert.Contains("too far", e.Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public async Task Run_NonFiniteReward_IsAnError(double value, string text)
    {
        var e = await Assert.ThrowsAsync<RewardFunctionException>(() => ReplayFixtureAsync(p => p.Progress > 50 ? value : 1));

        Assert.Equal(RewardErrorKind.NotFinite, e.Kind);
        Assert.StartsWith($"reward_function returned {text}, not a finite number at iteration 0, episode 0, step 3.\n", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OutOfMemory_IsNotTurnedIntoAStepError() =>
        await Assert.ThrowsAsync<OutOfMemoryException>(() => ReplayFixtureAsync(_ => throw new OutOfMemoryException()));

    [Fact]
    public async Task NullArguments_Throw()
    {
        var steps = await RewardParamsTests.LoadFixtureAsync("comparison-steps.csv");

        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => RewardReplay.Run(steps, s_reinvent, null!)).ParamName);
        Assert.Equal("function", (await Assert.ThrowsAsync<ArgumentNullException>(() => RewardReplay.RunAsync(steps, s_reinvent, null!))).ParamName);
        Assert.Equal("result", Assert.Throws<ArgumentNullException>(() => RewardComparison.Analyze(null!)).ParamName);
    }

    [Fact]
    public async Task OnlyPrepareRows_NothingToCompare()
    {
        var steps = await RewardParamsTests.LoadFixtureAsync("prepare-only-steps.csv");
        var comparison = RewardComparison.Analyze(RewardReplay.Run(steps, s_reinvent, _ => 1));

        Assert.Equal(0, comparison.Steps);
        Assert.True(double.IsNaN(comparison.Agreement));
        Assert.True(double.IsNaN(comparison.EpisodeCorrelation));
        Assert.Equal([0.0], comparison.Episodes.Get<double>("new_reward").ToArray());
    }

    [Fact]
    public async Task TwoEpisodes_CorrelationIsMinusOneOrOne()
    {
        // Episodes 0 and 1 of the fixture: logged totals 3 and 5, new 8 and 1.
        using var dir = new TempDir();
        var lines = File.ReadAllLines(TestSupport.Fixture(Path.Combine("rewards", "comparison-steps.csv")));
        using var log = await DeepRacerLog.OpenAsync(dir.Write("0-iteration.csv", string.Join('\n', lines.Take(7)) + "\n"));
        var steps = await log.LoadAsync(StepTableKind.Training, TraceKind.Simtrace);

        Assert.Equal(-1.0, RewardComparison.Analyze(RewardReplay.Run(steps, s_reinvent, TenthOfProgress)).EpisodeCorrelation, 1e-12);
    }

    [Fact]
    public async Task Evaluation_TwoRunsOfOneEpisode0Each_AreTwoEpisodes()
    {
        // Consecutive streams whose episode numbers are equal (0 and 0): only the stream tells the episodes apart.
        using var dir = new TempDir();
        var lines = File.ReadAllLines(TestSupport.Fixture(Path.Combine("rewards", "comparison-steps.csv")));
        dir.Write("evaluation-20220101000000/evaluation-simtrace/0-iteration.csv", string.Join('\n', lines.Take(4)) + "\n");
        dir.Write("evaluation-20220101000100/evaluation-simtrace/0-iteration.csv", string.Join('\n', lines.Take(4)) + "\n");
        using var log = await DeepRacerLog.OpenAsync(dir.Path);
        var steps = await log.LoadAsync(StepTableKind.Evaluation, TraceKind.Simtrace);

        var episodes = RewardComparison.Analyze(RewardReplay.Run(steps, s_reinvent, TenthOfProgress)).Episodes;

        Assert.Equal(["20220101000000", "20220101000100"], episodes.Get<string>("stream").ToArray());
        Assert.Equal([3.0, 3.0], episodes.Get<double>("reward").ToArray());
        Assert.Equal([8.0, 8.0], episodes.Get<double>("new_reward").ToArray());
    }

    [Fact]
    public async Task StepsPerSecond_ReplayedStepsOverParamsAndFunctionTime()
    {
        var table = (await ReplayFixtureAsync(_ => 1)).Params;

        Assert.Equal(2.0, new RewardReplayResult(table, new double[8], 0, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)).StepsPerSecond, 1e-12);
        Assert.Equal(8e9, new RewardReplayResult(table, new double[8], 0, null, TimeSpan.Zero, TimeSpan.Zero).StepsPerSecond, 1e-3);
    }

    [Theory]
    [InlineData(1.0, 1.0, true)]
    [InlineData(0.0, 1e-6, true)]
    [InlineData(0.0, 1.1e-6, false)]
    [InlineData(1.0, 0.0, false)]
    [InlineData(1000.0, 1000.0005, true)]
    [InlineData(-1000.0, -1000.0005, true)]
    [InlineData(1000.0, 1000.002, false)]
    public void Matches_WithinAMillionthOfTheLoggedValue(double logged, double replayed, bool matches) =>
        Assert.Equal(matches, RewardComparison.Matches(logged, replayed));

    [Fact]
    public async Task Evaluation_EpisodesKeyedByStream()
    {
        // Three evaluation runs of three episodes; the function gives 1 per scored step, so new totals count the steps.
        var steps = await Samples.Evaluation("sample-drfc-1-logs");
        var comparison = RewardComparison.Analyze(RewardReplay.Run(steps, s_reinvent, _ => 1));
        var episodes = comparison.Episodes;

        Assert.Equal(["stream", "episode", "reward", "new_reward", "rank", "new_rank", "rank_change"], episodes.Columns.Select(c => c.Name));
        Assert.Equal(
            ["20220709200242", "20220709200242", "20220709200242", "20220709200509", "20220709200509", "20220709200509", "20220709200711", "20220709200711", "20220709200711"],
            episodes.Get<string>("stream").ToArray());
        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 1, 2], episodes.Get<int>("episode").ToArray());
        Assert.Equal([221.0, 207, 221, 214, 210, 209, 212, 201, 213], episodes.Get<double>("new_reward").ToArray());
        Assert.Equal(
            [161.29999999999978, 125.70000000000002, 139.19999999999982, 159.8999999999999, 139.7999999999999, 118.29999999999977, 146.89999999999986, 131.202, 101.01299999999995],
            episodes.Get<double>("reward").ToArray(), new ToleranceComparer(1e-9));
        Assert.Equal([0, -1, 3, -1, -2, 1, -2, -3, 5], episodes.Get<int>("rank_change").ToArray());
        Assert.Equal(0.4222870114557336, comparison.EpisodeCorrelation, 1e-9);
        // |rank_change| 5, then 3 twice: new rank 2 before new rank 9.
        var top = comparison.RankChanges(3);
        Assert.Equal(["20220709200711", "20220709200242", "20220709200711"], top.Get<string>("stream").ToArray());
        Assert.Equal([2, 2, 1], top.Get<int>("episode").ToArray());

        var perStep = comparison.PerStep();
        Assert.Equal(["stream", "episode", "steps", "reward", "new_reward"], perStep.Columns.Select(c => c.Name));
        Assert.Equal(1_908, perStep.RowCount);
        Assert.Equal(212 + 201 + 213, perStep.Get<string>("stream").ToArray().Count(s => s == "20220709200711"));
    }

    [Fact]
    public async Task SeveralWorkers_EpisodesAndStepsNameTheWorker()
    {
        var steps = await Samples.Training("sample-drfc-3-logs");
        var comparison = RewardComparison.Analyze(RewardReplay.Run(steps, s_reinvent, _ => 1));
        var episodes = comparison.Episodes;

        Assert.Equal(
            ["iteration", "episode", "unique_episode", "worker", "reward", "new_reward", "rank", "new_rank", "rank_change"],
            episodes.Columns.Select(c => c.Name));
        Assert.Equal(690, episodes.RowCount);
        var workers = episodes.Get<int>("worker").ToArray();
        Assert.Equal([230, 230, 230], [workers.Count(w => w == 0), workers.Count(w => w == 1), workers.Count(w => w == 2)]);
        Assert.Equal(690, episodes.Get<int>("unique_episode").ToArray().Distinct().Count());
        // Worker 1, iteration 0, episode 0: logged total 13.22, 43 scored steps.
        var e = Enumerable.Range(0, 690).Single(i => workers[i] == 1 && episodes.Get<int>("iteration")[i] == 0 && episodes.Get<int>("episode")[i] == 0);
        Assert.Equal(13.219999999999986, episodes.Get<double>("reward")[e], 1e-9);
        Assert.Equal(43.0, episodes.Get<double>("new_reward")[e]);

        var perStep = comparison.PerStep();
        Assert.Equal(["iteration", "episode", "steps", "worker", "unique_episode", "reward", "new_reward"], perStep.Columns.Select(c => c.Name));
        Assert.Equal(43_059, perStep.RowCount);
        Assert.Equal(43, Enumerable.Range(0, perStep.RowCount).Count(i =>
            perStep.Get<int>("worker")[i] == 1 && perStep.Get<int>("iteration")[i] == 0 && perStep.Get<int>("episode")[i] == 0));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
