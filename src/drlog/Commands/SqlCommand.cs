using DeepRacer.Analysis.Export;

namespace DrLog.Commands;

/// <summary><c>drlog sql</c>: SQL with embedded DuckDB over an export folder, or over sources exported on the fly.</summary>
internal static class SqlCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var query = new Argument<string>("QUERY") { Description = "One SQL statement over the views steps, episodes and metrics (each with a model column), and catalog when exported" };
        var data = new Option<string[]>("--data", "-d")
        {
            Description = "An export folder (default: the current folder), or model sources to load on the fly",
            AllowMultipleArgumentsPerToken = true,
        };
        var memory = new Option<string?>("--memory-limit") { Description = "DuckDB memory limit, e.g. 2GB (default: 80% of RAM)" };
        var command = new Command("sql", "Run SQL with embedded DuckDB over exported Parquet (drlog export) or over model sources.");
        command.Add(query);
        command.Add(data);
        command.Add(memory);
        common.AddConnectionTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var given = parse.GetValue(data) is { Length: > 0 } d ? d : ["."];
            var exports = given.Where(IsExportFolder).ToList();
            if (exports.Count > 0 && (exports.Count > 1 || given.Length > 1))
            {
                throw new UsageException("--data takes one export folder, or model sources to load; not both.");
            }

            using var temp = exports.Count == 0 ? new TemporaryFolder() : null;
            if (temp is not null)
            {
                // Sources become a throw-away export, so SQL sees exactly the views an export folder has.
                using var target = ExportTarget.Create(temp.Path);
                var options = new ExportOptions { S3 = common.S3(parse) };
                foreach (var source in given)
                {
                    var results = await ParquetExporter.ExportAsync(CatalogSource.Resolve(source), ParquetExporter.ModelNameOf(source), target, options, ct).ConfigureAwait(false);
                    foreach (var skipped in results.Where(r => r.Skipped is not null))
                    {
                        await context.Error.WriteLineAsync($"drlog: note: {skipped.Model} has no {skipped.Table} ({skipped.Skipped}).").ConfigureAwait(false);
                    }
                }
            }

            using var session = SqlSession.Open(temp?.Path ?? exports[0], parse.GetValue(memory));
            var table = session.Query(parse.GetValue(query)!);
            await TableOutput.WriteAsync(context, table, parse.GetValue(common.Format)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static bool IsExportFolder(string path) =>
        Directory.Exists(path) && Directory.EnumerateDirectories(path, "table=*").Any();

    /// <summary>A folder under the system temp folder, deleted on dispose.</summary>
    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("drlog-sql-").FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }
}
