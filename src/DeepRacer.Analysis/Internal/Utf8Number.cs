using System.Numerics;
using System.Runtime.Intrinsics;

namespace DeepRacer.Analysis.Internal;

/// <summary>Number parsing straight from UTF-8 bytes, without strings.</summary>
/// <remarks>
/// Double fields take Clinger's exact fast path (mantissa up to 2^53, power of ten up to 22)
/// and fall back to the BCL's correctly rounded parser otherwise, so every value equals
/// what Python's float() gives. Float fields accept one extra rounding (from double), far below float32 resolution.
/// </remarks>
internal static class Utf8Number
{
    private static readonly double[] s_powersOf10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    private static readonly ulong[] s_powersOf10Integer = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

    private const ulong MaxExactMantissa = 1UL << 53;

    /// <summary>Parses an integer; accepts a trailing <c>.0</c> (steps are written <c>1.0</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseInt(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        if (s.IsEmpty)
        {
            return false;
        }

        var i = 0;
        var negative = false;
        if (s[0] == (byte)'-')
        {
            negative = true;
            i = 1;
            if (s.Length == 1)
            {
                return false;
            }
        }

        long acc = 0;
        var firstDigit = i;
        for (; i < s.Length; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d > 9)
            {
                break;
            }

            acc = (acc * 10) + d;
            if (acc > int.MaxValue)
            {
                return false;
            }
        }

        if (i == firstDigit)
        {
            // "." or "-.0" has no integer digits: not a number (it parsed as 0 before).
            return false;
        }

        if (i < s.Length)
        {
            // Only ".0", ".00", ... may follow (a loop: the tail is one or two bytes, too short for a vector search's setup).
            if (s[i] != (byte)'.')
            {
                return false;
            }

            for (i++; i < s.Length; i++)
            {
                if (s[i] != (byte)'0')
                {
                    return false;
                }
            }
        }

        value = negative ? (int)-acc : (int)acc;
        return true;
    }

    /// <summary>Parses a decimal number exactly as <see cref="double.Parse(string)"/> would.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value)
    {
        if (TryParseFast(s, out var mantissa, out var exponent, out var negative, out var exact) && exact)
        {
            if (mantissa <= MaxExactMantissa && exponent >= -22 && exponent <= 22)
            {
                double m = mantissa;
                value = exponent < 0 ? m / s_powersOf10[-exponent] : m * s_powersOf10[exponent];
                value = negative ? -value : value;
                return true;
            }

            // 17 to 19 significant digits (Python prints many values with 17): too many for the exact product above.
            if (EiselLemire.TryCompute(mantissa, exponent, out value))
            {
                value = negative ? -value : value;
                return true;
            }
        }

        return TryParseSlow(s, out value);
    }

    /// <summary>Parses a decimal number to float32 (within one unit of the last place).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseFloat(ReadOnlySpan<byte> s, out float value)
    {
        if (TryParseFast(s, out var mantissa, out var exponent, out var negative, out _) && exponent >= -22 && exponent <= 22)
        {
            double m = mantissa;
            var v = exponent < 0 ? m / s_powersOf10[-exponent] : m * s_powersOf10[exponent];
            value = (float)(negative ? -v : v);
            return true;
        }

        var ok = TryParseSlow(s, out var d);
        value = (float)d;
        return ok;
    }

    /// <summary>Splits <c>[-]digits[.digits]</c> into an integer mantissa and a power of ten; false for anything else (exponents, nan, inf).</summary>
    /// <remarks><c>exact</c> is false when digits beyond 19 were dropped.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryParseFast(ReadOnlySpan<byte> s, out ulong mantissa, out int exponent, out bool negative, out bool exact)
    {
        // Python's repr of a simtrace coordinate or progress has 16 to 20 characters after the sign: read them in blocks.
        var unsigned = s.Length > 0 && s[0] == (byte)'-' ? s[1..] : s;
        if (unsigned.Length is >= 16 and <= 20 && TryParseDotted(unsigned, out mantissa, out exponent))
        {
            negative = unsigned.Length != s.Length;
            exact = true;
            return true;
        }

        return TryParseDigitByDigit(s, out mantissa, out exponent, out negative, out exact);
    }

    /// <summary>
    /// <see cref="TryParseDigitByDigit"/> for 16 to 20 characters holding digits and exactly one dot (so at most 19 digits, all kept):
    /// one vector check of the bytes, then the digits eight at a time. False (nothing decided) for any other text.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryParseDotted(ReadOnlySpan<byte> s, out ulong mantissa, out int exponent)
    {
        mantissa = 0;
        exponent = 0;
        var n = s.Length;
        if (!Vector128.IsHardwareAccelerated || !BitConverter.IsLittleEndian || n is < 16 or > 20)
        {
            return false;
        }

        var (digits, dots) = DigitAndDotMasks(s);
        if ((digits | dots) != (1u << n) - 1 || BitOperations.PopCount(dots) != 1)
        {
            return false;
        }

        ref var start = ref MemoryMarshal.GetReference(s);
        var dotAt = BitOperations.TrailingZeroCount(dots);
        var m = AppendDigits(ref start, n, 0, dotAt, 0);
        mantissa = AppendDigits(ref start, n, dotAt + 1, n - dotAt - 1, m);
        exponent = -(n - dotAt - 1);
        return true;
    }

    /// <summary>Bit i set when byte i of <paramref name="s"/> (16 to 32 bytes) is a digit, or a dot: two overlapping 16-byte loads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint Digits, uint Dots) DigitAndDotMasks(ReadOnlySpan<byte> s)
    {
        ref var start = ref MemoryMarshal.GetReference(s);
        var head = Vector128.LoadUnsafe(ref start);
        var tail = Vector128.LoadUnsafe(ref start, (nuint)(s.Length - 16));
        var dot = Vector128.Create((byte)'.');
        var nine = Vector128.Create((byte)9);
        var zero = Vector128.Create((byte)'0');
        var shift = s.Length - 16;
        return (
            Vector128.LessThanOrEqual(head - zero, nine).ExtractMostSignificantBits() | (Vector128.LessThanOrEqual(tail - zero, nine).ExtractMostSignificantBits() << shift),
            Vector128.Equals(head, dot).ExtractMostSignificantBits() | (Vector128.Equals(tail, dot).ExtractMostSignificantBits() << shift));
    }

    /// <summary><paramref name="m"/> followed by the <paramref name="count"/> digits at <paramref name="at"/> of an <paramref name="n"/>-byte text (n ≥ 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AppendDigits(ref byte start, int n, int at, int count, ulong m)
    {
        while (count > 0)
        {
            var k = Math.Min(count, 8);

            // An 8-byte window inside the text that holds the k digits; shift them to its top bytes and fill the rest with '0',
            // so the eight-digit step reads their value.
            var window = Math.Min(at, n - 8);
            var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, window)) >> (8 * (at - window));
            word <<= 8 * (8 - k);
            if (k < 8)
            {
                word |= 0x3030303030303030UL >> (8 * k);
            }

            m = (m * s_powersOf10Integer[k]) + EightDigits(word);
            at += k;
            count -= k;
        }

        return m;
    }

    /// <summary>The general form of <see cref="TryParseFast"/>: any length, one digit (or eight) per step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryParseDigitByDigit(ReadOnlySpan<byte> s, out ulong mantissa, out int exponent, out bool negative, out bool exact)
    {
        mantissa = 0;
        exponent = 0;
        exact = true;
        negative = false;
        var i = 0;
        if (s.Length > 0 && s[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        var digits = 0;
        var significant = 0;
        var seenDot = false;
        for (; i < s.Length; i++)
        {
            // Eight digits at a time while they fit in the 19 kept: simtrace values have 16 to 19 digits.
            if (BitConverter.IsLittleEndian && i + 8 <= s.Length && significant <= 11)
            {
                var eight = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(s), i));
                if (AreEightDigits(eight))
                {
                    var leadingZeros = mantissa == 0 ? LeadingZeroDigits(eight) : 0;
                    mantissa = (mantissa * 100_000_000) + EightDigits(eight);
                    significant += 8 - leadingZeros;
                    digits += 8;
                    if (seenDot)
                    {
                        exponent -= 8;
                    }

                    i += 7;
                    continue;
                }
            }

            var c = s[i];
            var d = (uint)(c - '0');
            if (d <= 9)
            {
                digits++;
                if (mantissa == 0 && d == 0)
                {
                    // Leading zeros carry no digits, only scale after the dot.
                    if (seenDot)
                    {
                        exponent--;
                    }

                    continue;
                }

                if (significant < 19)
                {
                    mantissa = (mantissa * 10) + d;
                    significant++;
                    if (seenDot)
                    {
                        exponent--;
                    }
                }
                else
                {
                    exact = false;
                    if (!seenDot)
                    {
                        exponent++;
                    }
                }
            }
            else if (c == (byte)'.' && !seenDot)
            {
                seenDot = true;
            }
            else
            {
                return false;
            }
        }

        return digits > 0;
    }

    /// <summary>True when all eight bytes (little-endian) are ASCII digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AreEightDigits(ulong eight) =>
        // Every byte 0x30-0x3F, and (with no carries then) none past 0x39.
        (eight & 0xF0F0F0F0F0F0F0F0) == 0x3030303030303030 && ((eight + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) == 0x3030303030303030;

    /// <summary>The value of eight ASCII digits, the first in the lowest byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint EightDigits(ulong eight)
    {
        var v = eight - 0x3030303030303030;
        v = (v * 10) + (v >> 8);
        v = (((v & 0x000000FF000000FF) * (100 + (1000000UL << 32))) + (((v >> 16) & 0x000000FF000000FF) * (1 + (10000UL << 32)))) >> 32;
        return (uint)v;
    }

    /// <summary>How many of the eight digits, from the first, are '0'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LeadingZeroDigits(ulong eight)
    {
        var v = eight - 0x3030303030303030;
        return v == 0 ? 8 : BitOperations.TrailingZeroCount(v) / 8;
    }

    /// <summary>
    /// True exactly when <see cref="TryParseDouble"/> and <see cref="TryParseFloat"/> accept <paramref name="s"/>, without computing the value:
    /// the usual <c>[-]digits[.digits]</c> is checked by its bytes, anything else goes to the parser.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsNumber(ReadOnlySpan<byte> s)
    {
        var i = !s.IsEmpty && s[0] == (byte)'-' ? 1 : 0;
        if (Vector128.IsHardwareAccelerated && s.Length - i is >= 16 and <= 32)
        {
            // Most simtrace values have 16 to 19 characters: checked at once.
            var rest = s[i..];
            var (digitBits, dotBits) = DigitAndDotMasks(rest);
            if ((digitBits | dotBits) == uint.MaxValue >> (32 - rest.Length))
            {
                // Digits and dots only (so at least 15 digits): a number when it has at most one dot.
                return BitOperations.PopCount(dotBits) <= 1;
            }

            return TryParseSlow(s, out _);
        }

        var digits = 0;
        var seenDot = false;
        for (; i < s.Length; i++)
        {
            if (BitConverter.IsLittleEndian && i + 8 <= s.Length
                && AreEightDigits(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(s), i))))
            {
                digits += 8;
                i += 7;
                continue;
            }

            var c = s[i];
            if ((uint)(c - '0') <= 9)
            {
                digits++;
            }
            else if (c == (byte)'.' && !seenDot)
            {
                seenDot = true;
            }
            else
            {
                return TryParseSlow(s, out _);
            }
        }

        return digits > 0 || TryParseSlow(s, out _);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryParseSlow(ReadOnlySpan<byte> s, out double value)
    {
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        // Python prints these; pandas reads them.
        if (s.SequenceEqual("nan"u8) || s.SequenceEqual("NaN"u8))
        {
            value = double.NaN;
            return true;
        }

        return false;
    }
}
