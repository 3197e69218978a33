using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Reports;
using PublicApiGenerator;

namespace DeepRacer.Analysis.Tests.Architecture;

/// <summary>
/// The libraries' public API as text, compared with <c>PublicApi.approved.txt</c> (the core) and
/// <c>PublicApi.{Charts,Reports}.approved.txt</c>, so every API change is a deliberate, reviewed diff. After an intended change run the tests with <c>DRLOG_ACCEPT_API=1</c> and commit the new file.
/// </summary>
public class PublicApiTests
{
    [Theory]
    [InlineData("")]
    [InlineData("Charts")]
    [InlineData("Reports")]
    public void PublicApi_MatchesTheApprovedSnapshot(string package)
    {
        // Build metadata is not API: AssemblyMetadata carries IsTrimmable/IsAotCompatible and the clone's git remote.
        var assembly = package switch
        {
            "Charts" => typeof(ChartRenderer).Assembly,
            "Reports" => typeof(HtmlReport).Assembly,
            _ => typeof(DeepRacerLog).Assembly,
        };
        var api = assembly.GeneratePublicApi(new ApiGeneratorOptions { ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"] })
            .ReplaceLineEndings("\n");
        var approved = Path.Combine(TestSupport.RepoRoot, "tests", "DeepRacer.Analysis.Tests", "Architecture", package.Length == 0 ? "PublicApi.approved.txt" : $"PublicApi.{package}.approved.txt");
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
