using System.Formats.Tar;
using System.IO.Compression;

namespace DrLog.Tests.Commands;

/// <summary>Unusual inputs (an unknown stream, an empty .tar.gz member, a bad line, a huge iteration number, a trainer log given as steps) load as they should or fail with one clear line.</summary>
public sealed class UnusualInputTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("drlog-review-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Steps_UnknownStream_IsAnErrorNotEveryStream()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("steps", CliRunner.Sample("sample-drfc-1-logs"), "--evaluation", "-e", "0", "--stream", "bogus", "-f", "csv");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        // The three DRfC evaluation runs of the sample, by their folder time stamps.
        Assert.Contains("No stream 'bogus': streams are 20220709200242, 20220709200509, 20220709200711.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TarGz_EmptyMember_LoadsLikeTheFolder()
    {
        var tar = Path.Combine(_temp, "model.tar.gz");
        await using (var file = File.Create(tar))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var writer = new TarWriter(gzip))
        {
            await writer.WriteEntryAsync(Path.Combine(CliRunner.Sample("sample-drfc-1-logs"), "training-simtrace", "0-iteration.csv"), "training-simtrace/0-iteration.csv");
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "training-simtrace/1-iteration.csv"));
        }

        var (exit, stdout, stderr) = await CliRunner.RunAsync("episodes", tar, "-f", "csv");

        Assert.Equal(0, exit);
        // 0-iteration.csv holds episodes 0..19 (529 data lines); the empty file is one bad line, reported.
        Assert.Equal(20, stdout.TrimEnd().Split('\n').Length - 1);
        Assert.Contains("training-simtrace/1-iteration.csv:1: empty file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_SkippedBadLineWithTextAction_DoesNotBlankTheActionColumn()
    {
        var traces = Path.Combine(_temp, "model", "training-simtrace");
        Directory.CreateDirectory(traces);
        var lines = (await File.ReadAllLinesAsync(Path.Combine(CliRunner.Sample("sample-drfc-1-logs"), "training-simtrace", "0-iteration.csv"))).ToList();
        var fields = lines[9].Split(',');
        fields[7] = "False";
        lines[9] = string.Join(',', fields) + ",extra";  // line 10: a text action and one field too many
        await File.WriteAllLinesAsync(Path.Combine(traces, "0-iteration.csv"), lines);

        var (exit, stdout, stderr) = await CliRunner.RunAsync("steps", Path.Combine(_temp, "model"), "-e", "0", "-f", "csv");

        Assert.Equal(0, exit);
        Assert.Contains("0-iteration.csv:10:", stderr, StringComparison.Ordinal);
        // Row 1 of episode 0 (line 2 of the file) has action 10; the skipped line must not turn the file continuous.
        Assert.Equal("10", stdout.Split('\n')[1].Split(',')[7]);
    }

    [Fact]
    public async Task Layout_HugeIterationNumber_IsAOneLineError()
    {
        var traces = Path.Combine(_temp, "model", "training-simtrace");
        Directory.CreateDirectory(traces);
        File.Copy(Path.Combine(CliRunner.Sample("sample-drfc-1-logs"), "training-simtrace", "0-iteration.csv"), Path.Combine(traces, "99999999999-iteration.csv"));

        var (exit, _, stderr) = await CliRunner.RunAsync("episodes", Path.Combine(_temp, "model"));

        Assert.Equal(1, exit);
        Assert.Contains("'99999999999' in a file name is too large", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Episodes_SagemakerLogGivenByMistake_SaysItHasNoSteps()
    {
        var log = Directory.GetFiles(Path.Combine(CliRunner.Sample("sample-console-logs"), "logs", "training"), "*-sagemaker.log").Single();

        var (exit, _, stderr) = await CliRunner.RunAsync("episodes", log);

        Assert.Equal(1, exit);
        Assert.Contains("has no SIM_TRACE_LOG lines", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }
}
