using DeepRacer.Analysis.Tests;

namespace DeepRacer.Analysis.Export.Tests;

/// <summary>Tests that share one export of every shipped sample.</summary>
[CollectionDefinition(Name)]
public sealed class ExportCollection : ICollectionFixture<ExportFixture>
{
    public const string Name = "export";
}

/// <summary>Every shipped sample exported once into a temporary folder (the .tar.gz as its own model).</summary>
public sealed class ExportFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    /// <summary>Sample folder (or file) and the model name it is exported as.</summary>
    public static IReadOnlyList<(string Sample, string Model)> Models { get; } =
    [
        ("sample-console-logs", "sample-console-logs"),
        ("sample-drfc-1-logs", "sample-drfc-1-logs"),
        ("sample-drfc-3-logs", "sample-drfc-3-logs"),
        ("sample-droa-solution-logs", "sample-droa-solution-logs"),
        ("sample-droa-solution-logs.tar.gz", "sample-droa-solution-logs-tgz"),
    ];

    /// <summary>The export folder.</summary>
    public string Folder => _dir.Path;

    /// <summary>What each export reported.</summary>
    public List<ExportResult> Results { get; } = [];

    public async Task InitializeAsync()
    {
        using var target = ExportTarget.Create(Folder);
        foreach (var (sample, model) in Models)
        {
            Results.AddRange(await ParquetExporter.ExportAsync(TestSupport.Sample(sample), model, target));
        }
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The one file of a single-file table of a model.</summary>
    public string File(string table, string model, string name = "part-0.parquet") =>
        Path.Combine(Folder, $"table={table}", $"model={model}", name);
}
