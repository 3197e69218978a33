using System.Threading.Channels;

namespace DeepRacer.Analysis.Web;

/// <summary>Fans update messages out to every open page (server-sent events); a slow page drops old messages, never blocks the poller.</summary>
internal sealed class EventHub
{
    private readonly Lock _lock = new();
    private readonly List<Channel<string>> _subscribers = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    public ChannelReader<string> Subscribe(CancellationToken until)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_lock)
        {
            _subscribers.Add(channel);
        }

        until.Register(() =>
        {
            lock (_lock)
            {
                _subscribers.Remove(channel);
            }

            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    public void Publish(string message)
    {
        lock (_lock)
        {
            foreach (var s in _subscribers)
            {
                s.Writer.TryWrite(message);
            }
        }
    }
}
