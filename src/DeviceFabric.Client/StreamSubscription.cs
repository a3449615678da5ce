using Orleans.Streams;

namespace DeviceFabric.Client;

/// <summary>A subscription to one or more fabric streams; dispose it to stop receiving.</summary>
internal sealed class StreamSubscription<T>(IReadOnlyList<StreamSubscriptionHandle<T>> handles) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        foreach (var handle in handles)
        {
            await handle.UnsubscribeAsync().ConfigureAwait(false);
        }
    }
}
