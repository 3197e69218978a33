using System.Text;
using System.Text.Json;

namespace DrLog.Output;

/// <summary>Writes one indented JSON document to a text writer.</summary>
internal static class JsonOutput
{
    public static async Task WriteAsync(TextWriter writer, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(json);
        }

        if (CliContext.IsRedirectedConsoleOut(writer) && writer.Encoding.CodePage == Encoding.UTF8.CodePage)
        {
            // The console's writer would pass the text on 256 bytes per system call: the UTF-8 goes to stdout as it is.
            buffer.Write(Encoding.UTF8.GetBytes(writer.NewLine));
            await CliContext.WriteConsoleBytesAsync(writer, buffer.GetBuffer().AsMemory(0, (int)buffer.Length)).ConfigureAwait(false);
            return;
        }

        await writer.WriteLineAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
        await writer.FlushAsync().ConfigureAwait(false);
    }
}
