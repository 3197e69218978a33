using System.Globalization;
using System.Text;
using CsCheck;
using DeepRacer.Analysis.Internal;

namespace DeepRacer.Analysis.Tests.Internal;

public class Utf8NumberTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>Number texts of the shapes simtrace files and logs hold; fixed seed, so failures reproduce.</summary>
    private static IEnumerable<string> FuzzTexts(int seed, int count)
    {
        var rng = new Random(seed);
        for (var n = 0; n < count; n++)
        {
            var sign = rng.Next(3) == 0 ? "-" : "";
            switch (rng.Next(8))
            {
                case 0:
                    // round-trip doubles of every magnitude simtraces show
                    yield return (rng.NextDouble() * Math.Pow(10, rng.Next(-6, 12)) * (sign == "-" ? -1 : 1)).ToString("R", CultureInfo.InvariantCulture);
                    break;
                case 1:
                    // doubles with 1..17 significant digits
                    yield return (rng.NextDouble() * Math.Pow(10, rng.Next(-3, 6))).ToString("G" + rng.Next(1, 18), CultureInfo.InvariantCulture) is var g && g.Contains('E') ? "0.5" : sign + g;
                    break;
                case 2:
                    // fixed decimals, as the logs print them (%.2f, %.4f)
                    yield return sign + (rng.NextDouble() * 1000).ToString("F" + rng.Next(0, 9), CultureInfo.InvariantCulture);
                    break;
                case 3:
                    // integers
                    yield return sign + rng.Next(0, int.MaxValue).ToString(CultureInfo.InvariantCulture);
                    break;
                case 4:
                    // integers written as floats
                    yield return sign + rng.Next(0, 100000).ToString(CultureInfo.InvariantCulture) + ".0";
                    break;
                case 5:
                    // leading zeros, and zeros right after the dot
                    yield return sign + new string('0', rng.Next(1, 4)) + rng.Next(0, 1000).ToString(CultureInfo.InvariantCulture) + "." + new string('0', rng.Next(0, 25)) + rng.Next(1, 100000).ToString(CultureInfo.InvariantCulture);
                    break;
                case 6:
                    // long digit strings (more than 19 significant digits)
                    var sb = new StringBuilder(sign);
                    sb.Append(rng.Next(1, 10));
                    for (var k = rng.Next(0, 30); k > 0; k--)
                    {
                        sb.Append(rng.Next(0, 10));
                    }

                    sb.Append('.');
                    for (var k = rng.Next(1, 30); k > 0; k--)
                    {
                        sb.Append(rng.Next(0, 10));
                    }

                    yield return sb.ToString();
                    break;
                default:
                    // float noise like 27.987000000000002 and exact tstamps
                    yield return (rng.Next(0, 100000) / 1000.0 + (rng.Next(2) == 0 ? 0 : 1e-14 * rng.Next(1, 9))).ToString("R", CultureInfo.InvariantCulture);
                    break;
            }
        }
    }

    [Fact]
    public void TryParseDouble_Fuzz200k_EqualsDoubleParseExactly()
    {
        var failures = new List<string>();
        foreach (var text in FuzzTexts(seed: 20240611, count: 200_000))
        {
            var expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!Utf8Number.TryParseDouble(B(text), out var actual) || BitConverter.DoubleToInt64Bits(actual) != BitConverter.DoubleToInt64Bits(expected))
            {
                failures.Add($"{text}: {actual:R} != {expected:R}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void TryParseFloat_Fuzz200k_WithinOneUlpOfRoundedDouble()
    {
        var failures = new List<string>();
        foreach (var text in FuzzTexts(seed: 7, count: 200_000))
        {
            var expected = (float)double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!Utf8Number.TryParseFloat(B(text), out var actual))
            {
                failures.Add(text + ": rejected");
                continue;
            }

            var ulps = Math.Abs((long)BitConverter.SingleToInt32Bits(actual) - BitConverter.SingleToInt32Bits(expected));
            if (ulps > 1 || Math.Sign(actual) != Math.Sign(expected))
            {
                failures.Add($"{text}: {actual:R} vs {expected:R} ({ulps} ulp)");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("100", 100)]
    [InlineData("1.0", 1)]
    [InlineData("246.0", 246)]
    [InlineData("-3", -3)]
    [InlineData("7.000", 7)]
    [InlineData("2147483647", int.MaxValue)]
    public void TryParseInt_ValidText_Parses(string text, int expected)
    {
        Assert.True(Utf8Number.TryParseInt(B(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1.01")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("-.")]
    [InlineData("abc")]
    [InlineData("12a")]
    [InlineData("2147483648")]
    [InlineData("[1 2]")]
    [InlineData("1e3")]
    public void TryParseInt_InvalidText_Rejected(string text) => Assert.False(Utf8Number.TryParseInt(B(text), out _));

    [Fact]
    public void TryParseInt_Fuzz_EqualsIntParse()
    {
        var rng = new Random(99);
        for (var n = 0; n < 20_000; n++)
        {
            var v = rng.Next(int.MinValue + 1, int.MaxValue);
            var text = v.ToString(CultureInfo.InvariantCulture) + (n % 2 == 0 ? "" : ".0");
            Assert.True(Utf8Number.TryParseInt(B(text), out var parsed), text);
            Assert.Equal(v, parsed);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("abc")]
    [InlineData("False")]
    [InlineData("[-25.0 1.33]")]
    public void TryParseDouble_InvalidText_Rejected(string text) => Assert.False(Utf8Number.TryParseDouble(B(text), out _));

    [Theory]
    [InlineData("nan")]
    [InlineData("NaN")]
    public void TryParseDouble_PythonNan_IsNaN(string text)
    {
        Assert.True(Utf8Number.TryParseDouble(B(text), out var v));
        Assert.True(double.IsNaN(v));
    }

    [Theory]
    [InlineData("27.987000000000002", 27.987000000000002)]
    [InlineData("1772822267.7927284", 1772822267.7927284)]
    [InlineData("-10.000000000000004", -10.000000000000004)]
    [InlineData("1e-05", 1e-05)]
    [InlineData("-0.0", -0.0)]
    public void TryParseDouble_SampleShapes_Exact(string text, double expected)
    {
        Assert.True(Utf8Number.TryParseDouble(B(text), out var v));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(v));
    }

    [Fact]
    public void IsNumber_AcceptsExactlyWhatTheParsersAccept()
    {
        // The episodes-only parse checks unused columns with IsNumber: it must skip exactly the lines a full parse skips.
        var texts = Gen.OneOf(
            Gen.Char["0123456789.-+eEnaNifINF x,"].Array[0, 12].Select(c => new string(c)),
            Gen.Char["0123456789.-+eEnaNifINF x,"].Array[14, 34].Select(c => new string(c)),

            // 14 to 34 characters, mostly digits, with one or two other characters anywhere (the vector check's lengths).
            Gen.Select(Gen.Char["0123456789"].Array[14, 34], Gen.Char[".-+e x,/:"].Array[0, 3], Gen.Int[0, 1000].Array[3], (d, other, at) =>
            {
                for (var k = 0; k < other.Length; k++)
                {
                    d[at[k] % d.Length] = other[k];
                }

                return new string(d);
            }),
            Gen.Double.Select(d => d.ToString("R", CultureInfo.InvariantCulture)),
            Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture) + ".0"));
        texts.Sample(
            text =>
            {
                var b = B(text);
                var expected = Utf8Number.TryParseDouble(b, out _);
                Assert.Equal(expected, Utf8Number.TryParseFloat(b, out _));
                Assert.True(expected == Utf8Number.IsNumber(b), $"'{text}': TryParseDouble says {expected}");
            },
            iter: 20_000);
        foreach (var text in new[] { "", "-", ".", "-.", "5.", ".5", "-0.0", "1e5", "nan", "NaN", "inf", "1.2.3", "--1", " 1", "17.709159380834848",
            "................", "-1234567890123456", "1234567890123456.", "123456789012345.6.", "12345678901234567890123456789012", "1234567890123456789012345678901.3" })
        {
            Assert.Equal(Utf8Number.TryParseDouble(B(text), out _), Utf8Number.IsNumber(B(text)));
        }
    }

    [Fact]
    public void EightDigitsAtATime_EqualsDigitByDigit()
    {
        Gen.Long[0, 99_999_999].Sample(n =>
        {
            var text = n.ToString("D8", CultureInfo.InvariantCulture);
            Assert.Equal((uint)n, Utf8Number.EightDigits(BitConverter.ToUInt64(B(text))));
        });

        // Every byte next to the digits ('.', ',', '-', '/', ':') must stop the eight-digit step.
        foreach (var text in new[] { "1234567.9", "12345,789", "1234-6789", "123/56789", "123:56789", "0.00000001234567890123", "12345678901234567890123" })
        {
            Assert.Equal(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected), Utf8Number.TryParseDouble(B(text), out var value));
            Assert.Equal(expected, value);
        }
    }

    [Fact]
    public void ManyDigits_EqualDoubleParseExactly()
    {
        // 17 to 19 significant digits at every decimal exponent the Eisel-Lemire table covers and beyond it (the fallback).
        var texts = Gen.Select(Gen.ULong[10_000_000_000_000_000UL, ulong.MaxValue / 2], Gen.Int[-70, 70], (m, e) => $"{m}e{e}");
        texts.Sample(text =>
        {
            var expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            var digits = text[..text.IndexOf('e')];
            var exponent = int.Parse(text[(text.IndexOf('e') + 1)..], CultureInfo.InvariantCulture);

            // As a simtrace writes it: digits with a decimal point, no exponent.
            var plain = exponent >= 0 ? digits + new string('0', exponent) + ".0"
                : exponent > -digits.Length ? digits[..(digits.Length + exponent)] + "." + digits[(digits.Length + exponent)..]
                : "0." + new string('0', -exponent - digits.Length) + digits;
            Assert.True(Utf8Number.TryParseDouble(B(plain), out var actual), plain);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
        }, iter: 20_000);
    }

    [Theory]
    [InlineData("9007199254740993")] // 2^53 + 1: exactly halfway, rounds to the even 2^53
    [InlineData("9007199254740995")] // halfway, rounds up to even
    [InlineData("9007199254740993.0")]
    [InlineData("0.30000000000000004")]
    [InlineData("17.709159380834848")]
    [InlineData("1.7976931348623157")]
    [InlineData("9999999999999999999")]
    [InlineData("0.000000000000000000000000000000000000000000000000000000000000000000000000001")]
    public void HalfwayAndEdgeCases_EqualDoubleParse(string text)
    {
        Assert.True(Utf8Number.TryParseDouble(B(text), out var actual));
        Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(actual));
    }

    [Fact]
    public void DottedBlocks_EqualDigitByDigit()
    {
        // The block path for 16 to 20 characters must split every text exactly as the digit-by-digit loop does (so values
        // stay bit for bit what they were), and leave every text it does not take to that loop.
        var dotted = Gen.Select(Gen.Char["0123456789"].Array[15, 19], Gen.Int[0, 19], (d, at) =>
        {
            var text = new string(d);
            return text.Insert(at % (text.Length + 1), ".");
        });
        var other = Gen.Char["0123456789.-e,"].Array[14, 22].Select(c => new string(c));
        Gen.OneOf(dotted, dotted, other, Gen.Double.Select(d => d.ToString("R", CultureInfo.InvariantCulture))).Sample(text =>
        {
            var b = B(text);
            var unsigned = text.StartsWith('-') ? b[1..] : b;
            var slowOk = Utf8Number.TryParseDigitByDigit(b, out var slowMantissa, out var slowExponent, out var slowNegative, out var slowExact);
            if (Utf8Number.TryParseDotted(unsigned, out var mantissa, out var exponent))
            {
                Assert.True(slowOk && slowExact, text);
                Assert.Equal((slowMantissa, slowExponent, slowNegative), (mantissa, exponent, text.StartsWith('-')));
            }
            else
            {
                // Declined: only texts that are not 16-20 characters of digits with one dot.
                var isDotted = unsigned.Length is >= 16 and <= 20 && unsigned.Count(c => c == (byte)'.') == 1 && unsigned.All(c => c == (byte)'.' || char.IsAsciiDigit((char)c));
                Assert.False(isDotted, text);
            }

            // And the public parsers agree with the BCL whichever path they took.
            var expected = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var bcl);
            Assert.Equal(expected, Utf8Number.TryParseDouble(b, out var value));
            if (expected)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(bcl), BitConverter.DoubleToInt64Bits(value));
            }
        }, iter: 50_000);
        Assert.True(Utf8Number.TryParseDotted(B("6.726480817762245"), out var m, out var e));
        Assert.Equal((6726480817762245UL, -15), (m, e));
        Assert.True(Utf8Number.TryParseDotted(B("1234567890123456789."), out m, out e));
        Assert.Equal((1234567890123456789UL, 0), (m, e));
        Assert.True(Utf8Number.TryParseDotted(B(".0000000000000000001"), out m, out e));
        Assert.Equal((1UL, -19), (m, e));
    }
}
