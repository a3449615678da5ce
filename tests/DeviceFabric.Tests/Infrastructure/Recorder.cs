using System.Threading.Channels;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>Collects what a subscription delivers so a test can await a specific item instead of sleeping.</summary>
internal sealed class Recorder<T>
{
    private readonly Channel<T> _items = Channel.CreateUnbounded<T>();
    private readonly List<T> _seen = [];

    public Task Add(T item)
    {
        _items.Writer.TryWrite(item);
        return Task.CompletedTask;
    }

    /// <summary>Everything received so far, in order, after waiting for matches.</summary>
    public IReadOnlyList<T> Seen
    {
        get
        {
            while (_items.Reader.TryRead(out var item))
            {
                _seen.Add(item);
            }

            return _seen;
        }
    }

    /// <summary>Waits for the next item (after those already seen) that matches; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<T> WaitForAsync(Func<T, bool> match, TimeSpan? timeout = null, string? what = null)
    {
        foreach (var seen in Seen)
        {
            if (match(seen))
            {
                return seen;
            }
        }

        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var item = await _items.Reader.ReadAsync(cancel.Token);
                _seen.Add(item);
                if (match(item))
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Timed out waiting for {what ?? typeof(T).Name}; received: {string.Join(", ", _seen)}");
            throw;
        }
    }
}
