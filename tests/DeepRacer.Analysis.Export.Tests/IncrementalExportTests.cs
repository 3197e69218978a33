using DeepRacer.Analysis.Tests;

namespace DeepRacer.Analysis.Export.Tests;

public sealed class IncrementalExportTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_grown_model_writes_only_its_last_and_new_steps_files()
    {
        // A copy of the 1-worker sample without its last 6 iterations: the training "so far".
        var model = Path.Combine(_dir.Path, "model");
        CopyFolder(TestSupport.Sample("sample-drfc-1-logs"), model);
        var traces = Path.Combine(model, "training-simtrace");
        var iterations = Directory.GetFiles(traces, "*-iteration.csv").Length;
        var held = Path.Combine(_dir.Path, "held");
        Directory.CreateDirectory(held);
        for (var i = iterations - 6; i < iterations; i++)
        {
            File.Move(Path.Combine(traces, $"{i}-iteration.csv"), Path.Combine(held, $"{i}-iteration.csv"));
        }

        var output = Path.Combine(_dir.Path, "export");
        var options = new ExportOptions { Tables = [ExportSchema.Steps], StepRowsPerFile = 5_000 };
        using var target = ExportTarget.Create(output);
        var first = Assert.Single(await ParquetExporter.ExportAsync(model, "m", target, options));
        var folder = Path.Combine(output, "table=steps", "model=m");
        var before = Directory.GetFiles(folder, "*.parquet").ToDictionary(f => f, File.GetLastWriteTimeUtc);

        foreach (var file in Directory.GetFiles(held))
        {
            File.Move(file, Path.Combine(traces, Path.GetFileName(file)));
        }

        var grown = Assert.Single(await ParquetExporter.ExportAsync(model, "m", target, options));
        var again = Assert.Single(await ParquetExporter.ExportAsync(model, "m", target, options));

        // Every file but the last of the first run is complete and untouched; the last one may grow, new ones follow.
        Assert.True(first.Written >= 3, $"{first.Written} files");
        Assert.InRange(grown.Unchanged, first.Written - 1, first.Written);
        Assert.True(grown.Written >= 1 && grown.Written + grown.Unchanged > first.Written, $"{grown.Written} written, {grown.Unchanged} unchanged");
        var lastBefore = before.Keys.Max(StringComparer.Ordinal)!;
        foreach (var (file, time) in before.Where(b => b.Key != lastBefore))
        {
            Assert.Equal(time, File.GetLastWriteTimeUtc(file));
        }

        Assert.Equal((0, grown.Written + grown.Unchanged), (again.Written, again.Unchanged));
        Assert.Equal(39_392, again.Rows);

        // The grown export is the same as a fresh one, file for file.
        var fresh = Path.Combine(_dir.Path, "fresh");
        using var freshTarget = ExportTarget.Create(fresh);
        await ParquetExporter.ExportAsync(model, "m", freshTarget, options);
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(fresh, "table=steps", "model=m", ParquetExporter.ManifestName)),
            await File.ReadAllTextAsync(Path.Combine(folder, ParquetExporter.ManifestName)));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
