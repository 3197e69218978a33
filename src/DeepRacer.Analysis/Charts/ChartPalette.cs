namespace DeepRacer.Analysis.Charts;

/// <summary>The one palette of every chart: matplotlib's default colours, as the notebooks draw them.</summary>
public static class ChartPalette
{
    /// <summary>Blue: training, the first series.</summary>
    public const string Blue = "#1f77b4";

    /// <summary>Orange: evaluation, the second series.</summary>
    public const string Orange = "#ff7f0e";

    /// <summary>Green: reward, the third series.</summary>
    public const string Green = "#2ca02c";

    /// <summary>Red: the fourth series (KL divergence, a fourth worker).</summary>
    public const string Red = "#d62728";

    /// <summary>Grey: track borders.</summary>
    public const string Grey = "#9a9a9a";

    /// <summary>Colours for series in order (workers, panels' series), repeating after the last.</summary>
    public static IReadOnlyList<string> Series { get; } = [Blue, Orange, Green, Red, "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];
}
