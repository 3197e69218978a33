using DeepRacer.Analysis.Tests;

namespace DeepRacer.Analysis.Web.Tests;

/// <summary>
/// One dashboard over two shipped samples (3-worker and 1-worker DRfC), loaded before the first test, replaying the
/// reward function both trained with (the drfc-1 sample's <c>reward_function.py</c>).
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public Dashboard Dashboard { get; private set; } = null!;

    public Uri Url => Dashboard.Url;

    public async Task InitializeAsync()
    {
        Dashboard = await Dashboard.StartAsync(new DashboardOptions
        {
            Sources = [TestSupport.Sample("sample-drfc-3-logs"), TestSupport.Sample("sample-drfc-1-logs")],
            Port = 0,
            RewardFunction = Path.Combine(TestSupport.Sample("sample-drfc-1-logs"), "reward_function.py"),
            RewardOptions = new() { Workers = 1 },
        });
        await Dashboard.FirstLoad.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync() => await Dashboard.DisposeAsync();

    /// <summary>Where the tests leave their screenshots for a person to look at: TestResults/dashboard under the repository.</summary>
    public static string Screenshot(string name)
    {
        var folder = Path.Combine(TestSupport.RepoRoot, "TestResults", "dashboard");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }
}
