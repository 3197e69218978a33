using System.Text.Unicode;

namespace DeepRacer.Analysis.Internal;

/// <summary>Checks done on JSON bytes before they are parsed.</summary>
internal static class JsonText
{
    /// <summary>
    /// Throws the library's error when the bytes are not UTF-8. <see cref="System.Text.Json.JsonDocument"/> checks strings only
    /// when they are read, and then throws <see cref="InvalidOperationException"/> from wherever that happens.
    /// </summary>
    /// <param name="json">The file's bytes.</param>
    /// <param name="source">The file, for the message.</param>
    /// <param name="todo">What the user should do, e.g. "fix or remove the file".</param>
    public static void RequireUtf8(ReadOnlySpan<byte> json, string source, string todo)
    {
        if (!Utf8.IsValid(json))
        {
            throw new DeepRacerLogException($"{source} is not UTF-8 text (a damaged or binary file): {todo}.");
        }
    }
}
