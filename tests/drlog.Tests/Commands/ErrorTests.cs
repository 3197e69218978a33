using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DrLog.Tests.Commands;

/// <summary>Every class of bad input: one line on stderr naming the thing and what to do, exit 1 (2 for usage).</summary>
public sealed class ErrorTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("drlog-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task MissingPath_ExitsOneWithOneLine()
    {
        var missing = Path.Combine(_temp, "no-such-model");
        var (exit, stdout, stderr) = await CliRunner.RunAsync("episodes", missing);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith($"drlog: {missing} does not exist", line, StringComparison.Ordinal);
        Assert.Contains("s3://bucket/prefix", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongFolder_ListsWhatWasFoundAndWhatIsExpected()
    {
        Directory.CreateDirectory(Path.Combine(_temp, "photos"));
        await File.WriteAllTextAsync(Path.Combine(_temp, "photos", "car.jpg"), "x");
        await File.WriteAllTextAsync(Path.Combine(_temp, "notes.txt"), "x");

        var (exit, _, stderr) = await CliRunner.RunAsync("info", _temp);

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("is not a DeepRacer model folder", line, StringComparison.Ordinal);
        Assert.Contains("notes.txt", line, StringComparison.Ordinal);
        Assert.Contains("photos/car.jpg", line, StringComparison.Ordinal);
        Assert.Contains("training-simtrace/", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptLines_AreSkippedCountedAndReportedWithFileAndLine()
    {
        var model = Path.Combine(_temp, "model");
        var traces = Path.Combine(model, "training-simtrace");
        Directory.CreateDirectory(traces);
        var lines = (await File.ReadAllLinesAsync(Path.Combine(CliRunner.Sample("sample-drfc-1-logs"), "training-simtrace", "0-iteration.csv"))).ToList();
        lines[10] = "0,11.0,garbage";                  // line 11 of the file
        lines[20] = lines[20].Replace(",in_progress,", ",in_progress,x,", StringComparison.Ordinal); // line 21: one field too many
        await File.WriteAllLinesAsync(Path.Combine(traces, "0-iteration.csv"), lines);

        var (exit, stdout, stderr) = await CliRunner.RunAsync("episodes", model, "-f", "csv");

        Assert.Equal(0, exit);
        Assert.Contains("skipped 2 bad line(s)", stderr, StringComparison.Ordinal);
        Assert.Contains("training-simtrace/0-iteration.csv:11:", stderr, StringComparison.Ordinal);
        Assert.Contains("training-simtrace/0-iteration.csv:21:", stderr, StringComparison.Ordinal);
        // The other rows still load: iteration 0 of the sample has 20 episodes.
        Assert.Equal(20, stdout.TrimEnd().Split('\n').Length - 1);
    }

    [Fact]
    public async Task BadHyperparametersJson_NamesTheFileAndLine()
    {
        var model = Path.Combine(_temp, "model");
        Directory.CreateDirectory(Path.Combine(model, "training-simtrace"));
        Directory.CreateDirectory(Path.Combine(model, "ip"));
        File.Copy(Path.Combine(CliRunner.Sample("sample-drfc-1-logs"), "training-simtrace", "0-iteration.csv"), Path.Combine(model, "training-simtrace", "0-iteration.csv"));
        await File.WriteAllTextAsync(Path.Combine(model, "ip", "hyperparameters.json"), "{\n  \"batch_size\": 64,\n  \"lr\": \n}");

        var (exit, _, stderr) = await CliRunner.RunAsync("info", model);

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("hyperparameters.json: bad JSON at line 4", line, StringComparison.Ordinal);
        Assert.Contains("Fix or remove the file", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableS3Endpoint_SaysSoWithoutAStackTrace()
    {
        // A port that was free a moment ago: nothing listens there.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        // Credentials from the environment, so that the failure is the connection, not the credential chain.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test-key");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test-secret");
        var (exit, _, stderr) = await CliRunner.RunAsync("episodes", "s3://bucket/model", "--endpoint-url", $"http://127.0.0.1:{port}");

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith($"drlog: Cannot reach http://127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.EndsWith("): check --endpoint-url and that the server is running.", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("episodes s3://bucket/model --endpoint-url ftp://minio:9000", "drlog: --endpoint-url ftp://minio:9000 is not an http(s) URL; use e.g. http://localhost:9000.")]
    [InlineData("episodes s3://bucket/model --profile drlog-no-such-profile", "drlog: AWS profile 'drlog-no-such-profile' not found in ~/.aws/credentials or ~/.aws/config: add it (DRfC uses a 'minio' profile) or drop --profile.")]
    [InlineData("logs fetch --region us-east-1 --profile drlog-no-such-profile", "drlog: AWS profile 'drlog-no-such-profile' not found in ~/.aws/credentials or ~/.aws/config: add it or drop --profile.")]
    [InlineData("logs fetch --region us-east-1 --endpoint-url localhost:4566", "drlog: --endpoint-url localhost:4566 is not an http(s) URL; use e.g. http://127.0.0.1:4566.")]
    public async Task AwsSettingProblems_NameTheFlag(string args, string expected)
    {
        // The library names the setting (InputSetting), the CLI words it as its flag: the line reads as it always did.
        var (exit, _, stderr) = await CliRunner.RunAsync([.. args.Split(' '), .. args.StartsWith("logs", StringComparison.Ordinal) ? new[] { "--root", _temp } : []]);

        Assert.Equal(1, exit);
        Assert.Equal(expected, stderr.Trim());
    }

    [Fact]
    public async Task S3UriWithoutPrefix_IsExplained()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("episodes", "s3://bucket");

        Assert.Equal(1, exit);
        Assert.Contains("needs a bucket and a model prefix", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoEvaluationInTheSource_SaysWhatWasFound()
    {
        var model = Path.Combine(_temp, "model");
        Directory.CreateDirectory(Path.Combine(model, "training-simtrace"));
        File.Copy(Path.Combine(CliRunner.Sample("sample-drfc-1-logs"), "training-simtrace", "0-iteration.csv"), Path.Combine(model, "training-simtrace", "0-iteration.csv"));

        var (exit, _, stderr) = await CliRunner.RunAsync("episodes", model, "--evaluation");

        Assert.Equal(1, exit);
        Assert.Contains("has no evaluation robomaker/simulation logs (found training simtrace: 1 files", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealProcess_ErrorExitsOneAndPrintsNoStackTrace()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "drlog.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("episodes");
        start.ArgumentList.Add(Path.Combine(_temp, "nothing-here"));
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(1, process.ExitCode);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_AddsTheDetails()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("episodes", Path.Combine(_temp, "nothing-here"), "--verbose");

        Assert.Equal(1, exit);
        Assert.Contains("DeepRacerLogException", stderr, StringComparison.Ordinal);
        Assert.True(stderr.TrimEnd().Split('\n').Length > 1);
    }
}
