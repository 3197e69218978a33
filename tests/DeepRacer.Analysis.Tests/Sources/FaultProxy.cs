using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DeepRacer.Analysis.Tests.Sources;

/// <summary>How <see cref="FaultProxy"/> breaks a response.</summary>
public enum ProxyFault
{
    /// <summary>Passed through unchanged.</summary>
    None,

    /// <summary>The headers and half of the body, then the connection is dropped.</summary>
    Cut,

    /// <summary>The body in 64-byte pieces, <see cref="FaultProxy.SlowDelay"/> apart.</summary>
    Slow,

    /// <summary>The headers and half of the body, then nothing more while the connection stays open.</summary>
    Stall,
}

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a real HTTP server (s3rver): requests go through unchanged, except that each
/// asks for <c>Connection: close</c> so that one connection carries one exchange; the response of a request that
/// <see cref="FaultFor"/> picks is broken on the way back. s3rver itself stays as it is: the faults are the network's.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _faulted;

    /// <summary>Starts the proxy in front of <paramref name="upstream"/> (e.g. <c>http://127.0.0.1:40123</c>).</summary>
    public FaultProxy(string upstream)
    {
        _upstream = new Uri(upstream);
        _listener.Start();
        Url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>The proxy's URL, to use as the endpoint.</summary>
    public string Url { get; }

    /// <summary>Chooses the fault for a request from its method and path (URL-encoded, with the query); none by default.</summary>
    public Func<string, string, ProxyFault> FaultFor { get; set; } = (_, _) => ProxyFault.None;

    /// <summary>The pause between two pieces of a <see cref="ProxyFault.Slow"/> body.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many responses were broken.</summary>
    public int Faulted => Volatile.Read(ref _faulted);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var owned = client;
        using var upstream = new TcpClient();
        try
        {
            var fromClient = client.GetStream();
            var (head, rest) = await ReadHeadAsync(fromClient, _stop.Token).ConfigureAwait(false);
            if (head is null)
            {
                return;
            }

            var requestLine = head[..head.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ');
            var fault = FaultFor(requestLine[0], requestLine.Length > 1 ? requestLine[1] : "");
            await upstream.ConnectAsync(_upstream.Host, _upstream.Port, _stop.Token).ConfigureAwait(false);
            var toUpstream = upstream.GetStream();
            await toUpstream.WriteAsync(Encoding.Latin1.GetBytes(CloseAfterThis(head)), _stop.Token).ConfigureAwait(false);
            await toUpstream.WriteAsync(rest, _stop.Token).ConfigureAwait(false);
            // The rest of a request body flows on while the response comes back.
            _ = fromClient.CopyToAsync(toUpstream, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);

            if (fault == ProxyFault.None)
            {
                await toUpstream.CopyToAsync(fromClient, _stop.Token).ConfigureAwait(false);
                return;
            }

            Interlocked.Increment(ref _faulted);
            await BreakAsync(fault, toUpstream, client).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side went away.
        }
    }

    private async Task BreakAsync(ProxyFault fault, NetworkStream fromUpstream, TcpClient client)
    {
        var toClient = client.GetStream();
        var (head, rest) = await ReadHeadAsync(fromUpstream, _stop.Token).ConfigureAwait(false);
        if (head is null)
        {
            return;
        }

        using var body = new MemoryStream();
        body.Write(rest);
        await fromUpstream.CopyToAsync(body, _stop.Token).ConfigureAwait(false);
        var bytes = body.ToArray();
        await toClient.WriteAsync(Encoding.Latin1.GetBytes(head), _stop.Token).ConfigureAwait(false);
        switch (fault)
        {
            case ProxyFault.Cut:
                await toClient.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), _stop.Token).ConfigureAwait(false);
                await toClient.FlushAsync(_stop.Token).ConfigureAwait(false);
                // A reset, not an orderly close: the client sees the connection break mid-body.
                client.Client.LingerState = new LingerOption(true, 0);
                client.Client.Close();
                return;
            case ProxyFault.Slow:
                for (var at = 0; at < bytes.Length; at += 64)
                {
                    await toClient.WriteAsync(bytes.AsMemory(at, Math.Min(64, bytes.Length - at)), _stop.Token).ConfigureAwait(false);
                    await toClient.FlushAsync(_stop.Token).ConfigureAwait(false);
                    await Task.Delay(SlowDelay, _stop.Token).ConfigureAwait(false);
                }

                return;
            default:
                await toClient.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), _stop.Token).ConfigureAwait(false);
                await toClient.FlushAsync(_stop.Token).ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
                return;
        }
    }

    // The request head with its Connection header replaced by "close" (not signed by SigV4, so the signature holds).
    private static string CloseAfterThis(string head)
    {
        var lines = head.Split("\r\n").Where(l => !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)).ToList();
        lines.Insert(1, "Connection: close");
        return string.Join("\r\n", lines);
    }

    // Reads up to and including the blank line that ends an HTTP head; returns the head and the bytes read past it.
    private static async Task<(string? Head, byte[] Tail)> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        while (true)
        {
            var n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return (null, []);
            }

            var searchFrom = Math.Max(0, buffer.Count - 3);
            buffer.AddRange(chunk.AsSpan(0, n));
            var all = buffer.ToArray();
            var end = all.AsSpan(searchFrom).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                end += searchFrom + 4;
                return (Encoding.Latin1.GetString(all, 0, end), all[end..]);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }
}
