using System.Reflection;
using System.Runtime.InteropServices;
using DeepRacer.Analysis.Rewards;

namespace DrLog.Output;

/// <summary>
/// The one place that words library problems in drlog's terms: the library says what went wrong and what to do through
/// its API (<see cref="DeepRacerLogException.Problem"/>, <see cref="DeepRacerLogException.Description"/>); this adds the
/// flag or command that does it.
/// </summary>
internal static class ErrorHints
{
    /// <summary>The one-line message for a user of the command line.</summary>
    public static string Message(DeepRacerLogException e) => e is RewardFunctionException reward ? Message(reward) : e.Problem switch
    {
        _ when e.Settings.Count > 0 => Flags(e),
        InputProblem.TrackUnknown => $"{e.Description}; pass --track NAME or --track FILE.npy (list them with 'drlog tracks').",
        InputProblem.TrackNameUnknown => $"{e.Description}; give a shipped name (see 'drlog tracks') or an existing .npy file.",
        InputProblem.TrackFileMissing => $"{e.Description}; give an existing .npy file or a shipped name (see 'drlog tracks').",
        InputProblem.TrackRequired => $"{e.Description}: pass --track NAME (see 'drlog tracks').",
        InputProblem.EvaluationRequired => $"{e.Description}: add --evaluation.",
        InputProblem.MetricsIncomplete when e.Description.Contains(" is empty:", StringComparison.Ordinal) =>
            $"{e.Description}; run again when it has episodes, or use --watch.",
        InputProblem.MetricsIncomplete => $"{e.Description}: run again when it is complete, or use --watch, which retries it.",
        InputProblem.NoStepsInLog =>
            $"{e.Description} (a trainer/sagemaker log goes to 'drlog info' or 'drlog metrics --trainer-log'; a job that failed before its first episode has none).",
        _ => e.Message,
    };

    /// <summary>The library's message with each setting it names worded as drlog's flag.</summary>
    public static string Flags(DeepRacerLogException e) => e.Format(Flag);

    /// <summary>The flag that gives a setting, as a message names it.</summary>
    public static string Flag(InputSetting setting) => setting switch
    {
        InputSetting.Profile => "--profile",
        InputSetting.Region => "--region",
        InputSetting.EndpointUrl => "--endpoint-url",
        InputSetting.Track => "--track NAME",
        _ => throw new ArgumentOutOfRangeException(nameof(setting), setting, null),
    };

    /// <summary>
    /// A reward function's problem with the flag that helps added to its first line (the params and the traceback follow
    /// on the next lines).
    /// </summary>
    public static string Message(RewardFunctionException e)
    {
        var hint = e.Kind switch
        {
            RewardErrorKind.PythonNotFound => "--python PATH",
            RewardErrorKind.Timeout => "--timeout SECONDS",
            RewardErrorKind.Raised or RewardErrorKind.NotANumber or RewardErrorKind.NotFinite => "--skip-errors counts failing steps and goes on",
            _ => null,
        };
        if (hint is null)
        {
            return e.Message;
        }

        var end = e.Message.IndexOf('\n', StringComparison.Ordinal) is var n and >= 0 ? n : e.Message.Length;
        var first = e.Message[..end].TrimEnd('\r');
        first = first.EndsWith('.') ? $"{first[..^1]} ({hint})." : $"{first} ({hint})";
        return first + e.Message[end..];
    }

    /// <summary>
    /// The runtimes whose native libraries (Skia, HarfBuzz, DuckDB, Parquet) the framework-dependent build carries:
    /// DrlogNativeRuntimeIdentifiers of drlog.csproj, written into the assembly so the list is kept in one place.
    /// </summary>
    public static IReadOnlyList<string> NativeRuntimeIdentifiers { get; } =
        typeof(ErrorHints).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "NativeRuntimeIdentifiers")?.Value?.Split(';', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>The native library a command could not load (charts, export, sql), however deep the runtime wrapped it.</summary>
    public static DllNotFoundException? MissingNativeLibrary(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is DllNotFoundException missing)
            {
                return missing;
            }
        }

        return null;
    }

    /// <summary>
    /// One line for a native library that did not load: on a runtime the package does not carry it for, which commands
    /// still work; on one it does, that the library or one it needs failed to load (the loader's long message is for
    /// --verbose).
    /// </summary>
    public static string Message(DllNotFoundException e, string runtime)
    {
        // The runtime words it "Unable to load shared library 'duckdb' or one of its dependencies ..." (DLL on Windows).
        var parts = e.Message.Split('\'');
        var library = parts.Length >= 3 ? parts[1] : "a native library";
        return NativeRuntimeIdentifiers.Contains(runtime, StringComparer.OrdinalIgnoreCase)
            ? $"could not load the native library '{library}' or one it needs on this {runtime} machine (run again with --verbose for the loader's message)."
            : $"this command needs the native library '{library}', which drlog carries for {string.Join(", ", NativeRuntimeIdentifiers)} but not for {runtime}; the tables, the report and the dashboard work without it.";
    }

    /// <summary><see cref="Message(DllNotFoundException, string)"/> for the runtime drlog runs on.</summary>
    public static string Message(DllNotFoundException e) => Message(e, RuntimeInformation.RuntimeIdentifier);

    /// <summary>The message for any exception that is the user's input problem, in drlog's terms.</summary>
    public static string Message(Exception e) => e is DeepRacerLogException d ? Message(d) : e.Message;
}
