using System.Numerics;

namespace DeepRacer.Analysis.Internal;

/// <summary>
/// Correctly rounded <c>mantissa × 10^exponent</c> for mantissas of up to 19 digits, by the Eisel-Lemire method (a 128-bit
/// approximation of the power of five, exact enough to decide the rounding in all but rare halfway cases, where it gives up).
/// </summary>
/// <remarks>
/// Without it every value with 17 or more significant digits took the BCL's general parser, about a tenth of a
/// simtrace parse. Only the exponents numbers in logs have are tabled; anything else returns false for the caller's fallback.
/// </remarks>
internal static class EiselLemire
{
    private const int MinExponent = -64;
    private const int MaxExponent = 64;

    // The double format: 52 explicit mantissa bits, exponent bias 1023.
    private const int MantissaBits = 52;
    private const int ExponentBias = 1023;

    /// <summary>Two 64-bit words per power of ten, high word first: 5^q scaled into [2^127, 2^128).</summary>
    private static readonly ulong[] s_powersOfFive = BuildPowersOfFive();

    /// <summary>Computes the double nearest to <paramref name="mantissa"/> × 10^<paramref name="exponent"/>; false when it cannot decide (or the mantissa is 0).</summary>
    public static bool TryCompute(ulong mantissa, int exponent, out double value)
    {
        // The caller takes zero and small mantissas on its exact path; anything outside the table goes to the fallback.
        value = 0;
        if (mantissa == 0 || exponent < MinExponent || exponent > MaxExponent)
        {
            return false;
        }

        var leadingZeros = BitOperations.LeadingZeroCount(mantissa);
        var w = mantissa << leadingZeros;
        var index = 2 * (exponent - MinExponent);

        // 55 bits are enough for the result and its rounding; the second word is only needed when the first product's
        // low bits are all ones (a carry could reach the bits that count).
        var high = Math.BigMul(w, s_powersOfFive[index], out var low);
        const ulong precisionMask = ulong.MaxValue >> (MantissaBits + 3);
        if ((high & precisionMask) == precisionMask)
        {
            var secondHigh = Math.BigMul(w, s_powersOfFive[index + 1], out _);
            var sum = low + secondHigh;
            if (sum < low)
            {
                high++;
            }

            low = sum;
            if (low == ulong.MaxValue)
            {
                return false; // still ambiguous
            }
        }

        var upperBit = (int)(high >> 63);
        var shift = upperBit + 64 - MantissaBits - 3;
        var bits = high >> shift;

        // floor(exponent × log2(10)) + 63, as a fixed-point product.
        var power2 = (((152170 + 65536) * exponent) >> 16) + 63 + upperBit - leadingZeros + ExponentBias;
        if (power2 <= 0)
        {
            return false; // subnormal: not in logs; the fallback handles it
        }

        // Exactly halfway between two doubles (only possible for small exponents): round to even, not up.
        if (low <= 1 && exponent is >= -4 and <= 23 && (bits & 3) == 1 && (bits << shift) == high)
        {
            bits &= ~1UL;
        }

        bits += bits & 1;
        bits >>= 1;
        if (bits >= 2UL << MantissaBits)
        {
            bits = 1UL << MantissaBits;
            power2++;
        }

        if (power2 >= 0x7FF)
        {
            return false;
        }

        bits &= ~(1UL << MantissaBits);
        value = BitConverter.UInt64BitsToDouble(bits | ((ulong)power2 << MantissaBits));
        return true;
    }

    /// <summary>
    /// 5^q for q in [<see cref="MinExponent"/>, <see cref="MaxExponent"/>] as 128-bit fractions: truncated for q ≥ 0, and for
    /// q &lt; 0 the reciprocal 2^b / 5^-q rounded up, so that the product's error has one known sign.
    /// </summary>
    private static ulong[] BuildPowersOfFive()
    {
        var table = new ulong[2 * (MaxExponent - MinExponent + 1)];
        var top = BigInteger.One << 128;
        for (var q = MinExponent; q <= MaxExponent; q++)
        {
            BigInteger scaled;
            if (q >= 0)
            {
                scaled = BigInteger.Pow(5, q);
                var length = (int)scaled.GetBitLength();
                scaled = length <= 128 ? scaled << (128 - length) : scaled >> (length - 128);
            }
            else
            {
                var power = BigInteger.Pow(5, -q);
                var z = (int)(power - 1).GetBitLength(); // smallest z with 2^z >= 5^-q
                scaled = q >= -27
                    ? (BigInteger.One << (z + 127)) / power + 1
                    : (BigInteger.One << ((2 * z) + 128)) / power + 1;
                while (scaled >= top)
                {
                    scaled >>= 1;
                }
            }

            var i = 2 * (q - MinExponent);
            table[i] = (ulong)(scaled >> 64);
            table[i + 1] = (ulong)(scaled & ulong.MaxValue);
        }

        return table;
    }
}
