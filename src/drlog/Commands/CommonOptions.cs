using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Reports;
using DeepRacer.Analysis.Sources;
using DeepRacer.Analysis.Tables;

namespace DrLog.Commands;

/// <summary>Arguments and options every analysis command shares.</summary>
internal sealed class CommonOptions
{
    public Argument<string> Source { get; } = new("SOURCE")
    {
        Description = "Model folder, .tar.gz export, simtrace .csv, robomaker/simulation .log, s3://bucket/prefix, or a log catalog id (see drlog logs list)",
    };

    public Option<string?> EndpointUrl { get; } = new("--endpoint-url") { Description = "S3-compatible endpoint, e.g. http://localhost:9000 for DRfC's MinIO" };

    public Option<string?> Profile { get; } = new("--profile") { Description = "AWS credentials profile (DRfC: minio)" };

    public Option<string?> Region { get; } = new("--region") { Description = "AWS region" };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Show error details" };

    public Option<string?> Catalog { get; } = CatalogSource.CreateOption();

    public Option<OutputFormat> Format { get; } = CreateFormat();

    /// <summary>A new <c>--format</c> option, for subcommands that take no other common option.</summary>
    public static Option<OutputFormat> CreateFormat() => new("--format", "-f")
    {
        Description = "Output format",
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    // The step-reading options, declared once; each command adds those it takes, where its help lists them.
    public Option<bool> Evaluation { get; } = new("--evaluation") { Description = "Read the evaluation runs instead of the training" };

    public Option<bool> Leaderboard { get; } = new("--leaderboard")
    {
        Description = "Leaderboard submissions (console: from their logs; DeepRacer on AWS: simtrace, or logs with --trace logs)",
    };

    public Option<TraceKind> Trace { get; } = new("--trace")
    {
        Description = "Read steps from simtrace CSVs, robomaker/simulation logs, or whichever exists",
        DefaultValueFactory = _ => TraceKind.Auto,
    };

    public Option<string?> Track { get; } = new("--track") { Description = "Track name or .npy file, when the logs do not say (see 'drlog tracks')" };

    /// <summary>Which steps <see cref="Evaluation"/> and <see cref="Leaderboard"/> ask for (training when neither).</summary>
    public StepTableKind StepKind(ParseResult parse) =>
        parse.GetValue(Evaluation) ? StepTableKind.Evaluation : parse.GetValue(Leaderboard) ? StepTableKind.Leaderboard : StepTableKind.Training;

    public void AddTo(Command command, bool withFormat = true)
    {
        command.Add(Source);
        AddConnectionTo(command, withFormat);
    }

    /// <summary>Everything but SOURCE: the S3 options, --verbose and (optionally) --format.</summary>
    public void AddConnectionTo(Command command, bool withFormat = true)
    {
        command.Add(EndpointUrl);
        command.Add(Profile);
        command.Add(Region);
        command.Add(Verbose);
        command.Add(Catalog);
        if (withFormat)
        {
            command.Add(Format);
        }
    }

    public Task<DeepRacerLog> OpenAsync(ParseResult parse, CancellationToken cancellationToken) =>
        DeepRacerLog.OpenAsync(CatalogSource.Resolve(parse.GetValue(Source)!, parse.GetValue(Catalog)), S3(parse), cancellationToken);

    /// <summary>The S3 options given on the command line.</summary>
    public S3Options S3(ParseResult parse) => new()
    {
        EndpointUrl = parse.GetValue(EndpointUrl),
        Profile = parse.GetValue(Profile),
        Region = parse.GetValue(Region),
    };

    /// <summary>Loads steps, with a progress bar on stderr when it takes more than a second, and reports skipped lines.</summary>
    public static Task<StepTable> LoadAsync(CliContext context, DeepRacerLog log, StepTableKind kind, TraceKind trace, CancellationToken cancellationToken) =>
        LoadAsync(context, log, kind, progress => log.LoadAsync(kind, trace, progress, cancellationToken), static t => t.Report);

    /// <summary>Loads the episodes without keeping the steps (see <see cref="DeepRacerLog.LoadEpisodesAsync"/>), with the same progress bar and warnings.</summary>
    public static Task<EpisodeTable> LoadEpisodesAsync(CliContext context, DeepRacerLog log, StepTableKind kind, TraceKind trace, CancellationToken cancellationToken) =>
        LoadAsync(context, log, kind, progress => log.LoadEpisodesAsync(kind, trace, progress, cancellationToken), static t => t.Report);

    /// <summary>Times the steps without keeping them (see <see cref="DeepRacerLog.LoadStabilityAsync"/>), with the same progress bar and warnings.</summary>
    public static Task<StabilityReport> LoadStabilityAsync(CliContext context, DeepRacerLog log, StepTableKind kind, TraceKind trace, CancellationToken cancellationToken) =>
        LoadAsync(context, log, kind, progress => log.LoadStabilityAsync(kind, trace, progress, cancellationToken), static t => t.Report!);

    /// <summary>
    /// A training report read as streams (see <see cref="ModelReport.BuildStreamedAsync"/>), with the same progress bar and warnings;
    /// null when the steps need a table.
    /// </summary>
    public static Task<(HtmlReport Report, LoadReport Load)?> LoadStreamedReportAsync(CliContext context, DeepRacerLog log, ModelInfo info, string? track, CancellationToken cancellationToken) =>
        LoadAsync(
            context,
            log,
            StepTableKind.Training,
            progress => ModelReport.BuildStreamedAsync(log, info, track, ErrorHints.Message, progress, cancellationToken),
            static r => r?.Load);

    private static async Task<T> LoadAsync<T>(CliContext context, DeepRacerLog log, StepTableKind kind, Func<IProgress<LoadProgress>, Task<T>> load, Func<T, LoadReport?> report)
    {
        var table = await ProgressDisplay.RunAsync(context, $"Loading {kind.ToString().ToLowerInvariant()} steps", load).ConfigureAwait(false);
        await ReportSkippedLinksAsync(context, log).ConfigureAwait(false);
        await ReportBadLinesAsync(context, report(table)).ConfigureAwait(false);
        return table;
    }

    /// <summary>Names the symbolic links a model folder's listing skipped, once per run.</summary>
    public static async Task ReportSkippedLinksAsync(CliContext context, DeepRacerLog log)
    {
        if (log.Source is not FolderSource { SkippedLinks: { Count: > 0 } links } || context.LinksReported)
        {
            return;
        }

        context.LinksReported = true;
        var shown = string.Join(", ", links.Take(5)) + (links.Count > 5 ? $" and {links.Count - 5} more" : "");
        await context.Error.WriteLineAsync(
            $"drlog: warning: skipped {links.Count} symbolic link(s) in {log.Source.Description}: {shown} (links are not followed; copy the files in instead).").ConfigureAwait(false);
    }

    private static async Task ReportBadLinesAsync(CliContext context, LoadReport? report)
    {
        if (report is null || report.BadLineCount == 0)
        {
            return;
        }

        await context.Error.WriteLineAsync(
            $"drlog: warning: skipped {report.BadLineCount} bad line(s) of {report.Files} file(s); the rest loaded ({report.Rows} steps).").ConfigureAwait(false);
        foreach (var bad in report.FirstBadLines.Take(5))
        {
            await context.Error.WriteLineAsync($"  {bad}").ConfigureAwait(false);
        }
    }
}
