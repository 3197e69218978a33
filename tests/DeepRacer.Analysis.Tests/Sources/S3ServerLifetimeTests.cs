using System.Diagnostics;
using System.Globalization;

namespace DeepRacer.Analysis.Tests.Sources;

/// <summary>
/// The S3 test server leaves with the test run even when the run is killed and its fixture never disposes (a Stryker
/// time-out, Ctrl+C): it watches the process that started it and deletes its objects on the way out.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class S3ServerLifetimeTests
{
    private readonly S3ServerFixture _server;

    // The fixture installs node_modules (npm ci) before the first S3 test; this one starts a second server of its own.
    public S3ServerLifetimeTests(S3ServerFixture server) => _server = server;

    [Fact]
    public async Task ParentKilled_ServerExitsAndDeletesItsObjects()
    {
        // A stand-in for the test host, killed the way a time-out kills one.
        using var parent = Process.Start(new ProcessStartInfo("sleep", "120") { UseShellExecute = false })!;
        var directory = Path.Combine(Path.GetTempPath(), "drlog-s3rver-lifetime-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("node")
        {
            // Standard input stays open: only the parent watch can end the server here.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(_server.RepoRoot, "tests", "s3server"),
        };
        foreach (var arg in new[] { "--openssl-legacy-provider", "start.js", "--directory", directory, "--port", "0", "--silent", "--parent-pid", parent.Id.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        using var server = Process.Start(start)!;
        try
        {
            Assert.StartsWith("S3rver listening on 127.0.0.1:", await server.StandardOutput.ReadLineAsync(), StringComparison.Ordinal);
            Assert.True(Directory.Exists(directory));

            parent.Kill();
            await parent.WaitForExitAsync();
            // The watch looks once a second; 15 s leave room for a loaded machine (a server still running fails here).
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await server.WaitForExitAsync(timeout.Token);

            Assert.Equal(0, server.ExitCode);
            Assert.False(Directory.Exists(directory));
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }

            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
