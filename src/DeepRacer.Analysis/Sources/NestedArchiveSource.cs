using System.Formats.Tar;
using System.IO.Compression;

namespace DeepRacer.Analysis.Sources;

/// <summary>
/// Reads through another source, and opens a member of a nested <c>.tar.gz</c> in place: a file whose path is
/// <c>archive.tar.gz!*-simulation.log</c> (<see cref="LogFile.NestedSeparator"/>) is the archive's first member whose name
/// ends with the suffix. DeepRacer on AWS keeps a job's logs as <c>logs/{jobType}/{job}-logs.tar.gz</c>.
/// </summary>
public sealed class NestedArchiveSource(ModelSource inner) : ModelSource
{
    /// <inheritdoc/>
    public override string Description => inner.Description;

    /// <inheritdoc/>
    public override int MaxParallelReads => inner.MaxParallelReads;

    /// <inheritdoc/>
    public override Task<IReadOnlyList<SourceFile>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="DeepRacerLogException">The archive is not a .tar.gz or has no such member.</exception>
    public override async Task<Stream> OpenReadAsync(SourceFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var cut = file.Path.IndexOf(LogFile.NestedSeparator, StringComparison.Ordinal);
        if (cut < 0)
        {
            return await inner.OpenReadAsync(file, cancellationToken).ConfigureAwait(false);
        }

        var archive = file with { Path = file.Path[..cut] };
        var suffix = file.Path[(cut + LogFile.NestedSeparator.Length)..];
        await using var stream = await inner.OpenReadAsync(archive, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            await using var reader = new TarReader(gzip);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (entry.DataStream is { } data && entry.Name.EndsWith(suffix, StringComparison.Ordinal))
                {
                    // Members are read once, in order: keep this one (a log of a few MB) and stop reading the archive.
                    var copy = new MemoryStream();
                    await data.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                    copy.Position = 0;
                    return copy;
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new DeepRacerLogException($"{Path.Combine(inner.Description, archive.Path)} is truncated or not a .tar.gz ({e.Message}): download it again.", e);
        }

        throw new DeepRacerLogException($"{Path.Combine(inner.Description, archive.Path)} holds no *{suffix} log: it is not a DeepRacer on AWS job log archive.");
    }
}
