using System.Text.RegularExpressions;
using DeepRacer.Analysis;
using DeepRacer.Analysis.Charts;
using DeepRacer.Analysis.Reports;
using DeepRacer.Analysis.Export;
using DeepRacer.Analysis.Web;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace DrLog.Tests.Architecture;

/// <summary>
/// The libraries never name drlog's flags: they say what to do in API terms (and name the setting as an
/// <see cref="InputSetting"/>), and the CLI's <c>ErrorHints</c> adds the flag. Checked on the compiled assemblies'
/// string literals (IL <c>ldstr</c> operands and constants), against the flags the CLI itself declares.
/// </summary>
public partial class LibraryMessagesTests
{
    // What the libraries may say with a flag in it: the AWS CLI's own login command, whose flag happens to share a name.
    private static readonly string[] s_allowed = ["aws sso login --profile"];

    private static readonly Lazy<HashSet<string>> s_cliFlags = new(() =>
        [.. Literals(typeof(Cli).Assembly.Location).Where(l => FlagName().IsMatch(l))]);

    public static TheoryData<string> Libraries => [typeof(DeepRacerLog).Assembly.Location, typeof(ParquetExporter).Assembly.Location, typeof(Dashboard).Assembly.Location,
        typeof(ChartRenderer).Assembly.Location, typeof(ModelReport).Assembly.Location];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void LibraryLiterals_NameNoCliFlag(string assembly)
    {
        var offenders = FlagMentions(assembly);

        Assert.True(offenders.Count == 0, $"{Path.GetFileName(assembly)} names drlog's flags (say it in API terms, with an InputSetting, and let ErrorHints add the flag): {string.Join(" | ", offenders)}");
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void LibraryLiterals_SendToNoCliCommand(string assembly)
    {
        // "see 'drlog tracks'" is the CLI's advice; the library names its own API (TrackCatalog, LogCatalog.List()).
        var offenders = Literals(assembly).Where(l => l.Contains("'drlog ", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.True(offenders.Count == 0, $"{Path.GetFileName(assembly)} sends the user to a drlog command: {string.Join(" | ", offenders)}");
    }

    [Fact]
    public void FlagMentions_FindsTheCliOwnMessages()
    {
        // The reader must see flags inside messages (interpolated, in async methods), or the rule above would pass vacuously:
        // the CLI's own messages name its flags, so reading the CLI the way the libraries are read finds them.
        var flags = s_cliFlags.Value;
        var mentions = FlagMentions(typeof(Cli).Assembly.Location);

        Assert.Contains("--track", flags);
        Assert.Contains("--endpoint-url", flags);
        Assert.Contains(mentions, m => m.Contains("pass --track NAME or --track FILE.npy", StringComparison.Ordinal));
        Assert.Contains(mentions, m => m.Contains(": add --evaluation.", StringComparison.Ordinal));
        Assert.Contains(Literals(typeof(Cli).Assembly.Location), l => l.Contains("'drlog tracks'", StringComparison.Ordinal));
    }

    /// <summary>The literals of <paramref name="assembly"/> that name one of the CLI's flags (outside <see cref="s_allowed"/>).</summary>
    private static List<string> FlagMentions(string assembly)
    {
        var flags = s_cliFlags.Value;
        return [.. Literals(assembly)
            .Where(l => !FlagName().IsMatch(l))
            .Where(l => FlagInText().Matches(s_allowed.Aggregate(l, (text, allowed) => text.Replace(allowed, "", StringComparison.Ordinal)))
                .Any(m => flags.Contains(m.Value)))
            .Distinct()
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Every string an assembly's IL loads, and its string constants.</summary>
    private static List<string> Literals(string assembly)
    {
        using var module = ModuleDefinition.ReadModule(assembly);
        var literals = new List<string>();
        foreach (var type in module.GetTypes())
        {
            literals.AddRange(type.Fields.Where(f => f.HasConstant && f.Constant is string).Select(f => (string)f.Constant));
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                literals.AddRange(method.Body.Instructions.Where(i => i.OpCode == OpCodes.Ldstr).Select(i => (string)i.Operand));
            }
        }

        return literals;
    }

    [GeneratedRegex("^--[a-z][a-z0-9-]*$")]
    private static partial Regex FlagName();

    [GeneratedRegex("(?<![A-Za-z0-9-])--[a-z][a-z0-9-]*")]
    private static partial Regex FlagInText();
}
