namespace DeepRacer.Analysis.Export.Tests;

/// <summary>The native engines stay in the export library; the export library knows no CLI or console package.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void Core_library_carries_no_Parquet_or_DuckDB()
    {
        var references = typeof(DeepRacerLog).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        Assert.DoesNotContain(references, r => r.StartsWith("DuckDB", StringComparison.Ordinal) || r.StartsWith("Parquet", StringComparison.Ordinal));
    }

    [Fact]
    public void Export_library_references_no_cli_or_console_package()
    {
        var references = typeof(ParquetExporter).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        Assert.Contains("ParquetSharp", references);
        Assert.Contains("DuckDB.NET.Data", references);
        Assert.DoesNotContain(references, r => r.StartsWith("System.CommandLine", StringComparison.Ordinal) || r.StartsWith("Spectre", StringComparison.Ordinal));
    }
}
