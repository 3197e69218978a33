using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Formats;

/// <summary>Codes for statuses the simulator writes that <see cref="EpisodeStatus"/> does not name; shared by the files of one load.</summary>
internal sealed class StatusRegistry
{
    private readonly Lock _lock = new();
    private readonly List<string> _names = [];

    public EpisodeStatus Resolve(ReadOnlySpan<byte> text)
    {
        if (EpisodeStatusNames.TryParse(text, out var known))
        {
            return known;
        }

        var name = System.Text.Encoding.UTF8.GetString(text);
        lock (_lock)
        {
            var index = _names.IndexOf(name);
            if (index < 0)
            {
                // 224 distinct unknown statuses is far beyond anything a simulator writes; fold the rest into the last code.
                if (_names.Count >= 255 - (int)EpisodeStatus.FirstUnknown)
                {
                    return (EpisodeStatus)255;
                }

                _names.Add(name);
                index = _names.Count - 1;
            }

            return (EpisodeStatus)((int)EpisodeStatus.FirstUnknown + index);
        }
    }

    public string[] Names
    {
        get
        {
            lock (_lock)
            {
                return [.. _names];
            }
        }
    }
}
