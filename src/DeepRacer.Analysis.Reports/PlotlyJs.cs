namespace DeepRacer.Analysis.Reports;

/// <summary>plotly.js, inlined into every report so that it opens offline.</summary>
/// <remarks>
/// The script comes from the pinned Plotly.NET package, which carries plotly.js (MIT) as an embedded resource: the
/// build copies it into this assembly (PlotlyJs.targets), instead of a vendored 3.5 MB file, a CDN link or a run-time
/// dependency on Plotly.NET and FSharp.Core.
/// </remarks>
public static class PlotlyJs
{
    private const string ResourceName = "plotly.min.js";
    private static readonly Lazy<string> s_source = new(Load);

    /// <summary>Version of the inlined plotly.js.</summary>
    public const string Version = "2.28.0";

    /// <summary>The minified plotly.js source, read once from the pinned package.</summary>
    public static string Source => s_source.Value;

    private static string Load()
    {
        using var stream = typeof(PlotlyJs).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is missing from the report assembly; rebuild it (the build copies it from the pinned Plotly.NET package).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
