using System.Text.Json;

namespace DeepRacer.Analysis.Internal;

/// <summary>
/// Range-checked reads of JSON numbers. <see cref="JsonElement.GetInt32"/> and <see cref="JsonElement.GetDouble"/> throw
/// <see cref="FormatException"/> for <c>1.5</c>, <c>2147483648</c> or <c>1e400</c>; input files hold such values when
/// hand-edited or damaged, and each must become a clear error or a missing value, never a crash.
/// </summary>
internal static class JsonNumber
{
    /// <summary>A finite double, or false (not a number, or beyond double's range).</summary>
    public static bool TryGetFinite(JsonElement value, out double result)
    {
        result = double.NaN;
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out result) && double.IsFinite(result);
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/> (<c>3.0</c> counts as 3), or false.</summary>
    public static bool TryGetWhole(JsonElement value, long min, long max, out long result)
    {
        result = 0;
        if (!TryGetFinite(value, out var d) || d != Math.Floor(d) || d < min || d > max)
        {
            return false;
        }

        result = (long)d;
        return true;
    }
}
