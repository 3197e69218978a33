using PublicApiGenerator;

namespace DeepRacer.Analysis.Tests.Architecture;

/// <summary>
/// The library's public API as text, compared with <c>PublicApi.approved.txt</c>, so every API change is a deliberate,
/// reviewed diff. After an intended change run the tests with <c>DRLOG_ACCEPT_API=1</c> and commit the new file.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheApprovedSnapshot()
    {
        var api = typeof(DeepRacerLog).Assembly.GeneratePublicApi(new ApiGeneratorOptions { ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute"] })
            .ReplaceLineEndings("\n");
        var approved = Path.Combine(TestSupport.RepoRoot, "tests", "DeepRacer.Analysis.Tests", "Architecture", "PublicApi.approved.txt");
        if (Environment.GetEnvironmentVariable("DRLOG_ACCEPT_API") == "1")
        {
            File.WriteAllText(approved, api);
        }

        Assert.True(File.Exists(approved), $"{approved} is missing: run the tests with DRLOG_ACCEPT_API=1 to write it.");
        var expected = File.ReadAllText(approved).ReplaceLineEndings("\n");
        if (expected != api)
        {
            var received = Path.ChangeExtension(approved, ".received.txt");
            File.WriteAllText(received, api);
            Assert.Fail($"The public API changed: compare {received} with {approved}; if the change is meant, run the tests with DRLOG_ACCEPT_API=1 and commit it.");
        }
    }
}
