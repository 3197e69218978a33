namespace DrLog.Output;

/// <summary>drlog's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The input could not be read or analysed (missing file, bad folder, S3 failure...).</summary>
    public const int Error = 1;

    /// <summary>Bad command line.</summary>
    public const int Usage = 2;
}

/// <summary>A command-line mistake found after parsing (e.g. an unknown --sort column): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
