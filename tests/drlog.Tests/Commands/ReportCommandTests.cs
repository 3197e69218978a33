namespace DrLog.Tests.Commands;

public sealed class ReportCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("drlog-report-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Report_Sample_WritesOneSelfContainedFile()
    {
        var path = Path.Combine(_temp, "drfc3.html");

        var (exit, stdout, stderr) = await CliRunner.RunAsync("report", CliRunner.Sample("sample-drfc-3-logs"), "-o", path);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.StartsWith($"Wrote {path} (", stdout, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(path);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", html, StringComparison.Ordinal);
        // Only the report is left in the folder: the temp file was renamed.
        Assert.Equal([path], Directory.GetFiles(_temp));
    }

    [Fact]
    public async Task Report_OutputFolderMissing_ExitsOneAndWritesNothing()
    {
        var path = Path.Combine(_temp, "missing", "r.html");

        var (exit, _, stderr) = await CliRunner.RunAsync("report", CliRunner.Sample("sample-drfc-1-logs"), "-o", path);

        Assert.Equal(1, exit);
        Assert.Contains("does not exist: create it or choose another -o path", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_temp));
    }
}
