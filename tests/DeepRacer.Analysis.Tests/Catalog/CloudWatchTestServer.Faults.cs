using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace DeepRacer.Analysis.Tests.Catalog;

// Broken transfers: a GetLogEvents body cut mid-stream or sent slowly, and a stream that grows between the listing
// (DescribeLogStreams) and the reading (GetLogEvents), as a running job's stream does.
public sealed partial class CloudWatchTestServer
{
    private readonly Dictionary<string, string> _growAfterListing = new(StringComparer.Ordinal);
    private int _dropped;
    private int _slowed;

    /// <summary>Drops the connection mid-body of GetLogEvents for (stream name, page number from 0) when it returns true.</summary>
    public Func<string, int, bool>? DropWhen { get; set; }

    /// <summary>Sends the GetLogEvents body for (stream name, page number from 0) in 1 KiB pieces, <see cref="SlowDelay"/> apart, when it returns true.</summary>
    public Func<string, int, bool>? SlowWhen { get; set; }

    /// <summary>The pause between two pieces of a slow body.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Responses cut mid-body.</summary>
    public int Dropped => _dropped;

    /// <summary>Responses sent slowly.</summary>
    public int Slowed => _slowed;

    /// <summary>
    /// Appends the lines of <paramref name="text"/> as events (100 ms apart, after its last) to the stream whose name starts
    /// with <paramref name="streamPrefix"/>, right after the first DescribeLogStreams answer that lists it: the listing
    /// shows the stream as it was, the reading finds it longer.
    /// </summary>
    public void GrowAfterListing(string streamPrefix, string text)
    {
        lock (_growAfterListing)
        {
            _growAfterListing[streamPrefix] = text;
        }
    }

    private void GrowListed(IEnumerable<Stream> listed)
    {
        foreach (var stream in listed)
        {
            string? text;
            lock (_growAfterListing)
            {
                var prefix = _growAfterListing.Keys.FirstOrDefault(p => stream.Name.StartsWith(p, StringComparison.Ordinal));
                if (prefix is null || !_growAfterListing.Remove(prefix, out text))
                {
                    continue;
                }
            }

            lock (stream.Events)
            {
                var at = stream.Last;
                foreach (var line in text.TrimEnd('\n').Split('\n'))
                {
                    at += 100;
                    stream.Events.Add((at, line));
                }
            }
        }
    }

    // Sends a GetLogEvents answer broken as DropWhen or SlowWhen says; false when it is to go out whole.
    private async Task<bool> TryBreakAsync(HttpListenerContext context, string stream, int page, JsonObject response)
    {
        var drop = DropWhen?.Invoke(stream, page) == true;
        var slow = !drop && SlowWhen?.Invoke(stream, page) == true;
        if (!drop && !slow)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(response.ToJsonString());
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.ContentLength64 = bytes.Length;
        var body = context.Response.OutputStream;
        if (drop)
        {
            Interlocked.Increment(ref _dropped);
            await body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2)).ConfigureAwait(false);
            await body.FlushAsync().ConfigureAwait(false);
            context.Response.Abort();
            return true;
        }

        Interlocked.Increment(ref _slowed);
        for (var at = 0; at < bytes.Length; at += 1024)
        {
            await body.WriteAsync(bytes.AsMemory(at, Math.Min(1024, bytes.Length - at))).ConfigureAwait(false);
            await body.FlushAsync().ConfigureAwait(false);
            await Task.Delay(SlowDelay).ConfigureAwait(false);
        }

        context.Response.Close();
        return true;
    }
}
