namespace DeepRacer.Analysis.Common;

/// <summary>
/// A problem with the user's input (a missing file, an unrecognised folder, a bad JSON file,
/// S3 access): its message is one line that names the thing and says what to do.
/// </summary>
public class DeepRacerLogException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public DeepRacerLogException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and the underlying cause.</summary>
    public DeepRacerLogException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
