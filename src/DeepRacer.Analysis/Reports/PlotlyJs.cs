namespace DeepRacer.Analysis.Reports;

/// <summary>plotly.js, inlined into every report so that it opens offline.</summary>
/// <remarks>
/// The script comes from the Plotly.NET package, which carries plotly.js (MIT) as an embedded resource:
/// a pinned NuGet version instead of a vendored 3.5 MB file or a CDN link.
/// </remarks>
public static class PlotlyJs
{
    private const string ResourceName = "Plotly.NET.plotly-2.28.0.min.js";
    private static readonly Lazy<string> s_source = new(Load);

    /// <summary>Version of the inlined plotly.js.</summary>
    public const string Version = "2.28.0";

    /// <summary>The minified plotly.js source, read once from the pinned package.</summary>
    public static string Source => s_source.Value;

    private static string Load()
    {
        using var stream = typeof(Plotly.NET.Chart).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is missing from the Plotly.NET package; restore the pinned version.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
