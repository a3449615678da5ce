namespace DeviceFabric.Events;

/// <summary>
/// A hub's recent device lifecycle events (created, deleted, connected, disconnected), for operators' overviews. Key:
/// the hub. The latest <see cref="MaxEvents"/> are kept and stored at most every half minute, so a node killed hard
/// forgets the last half minute's; what must never be lost is routed to a log instead (see the routing API).
/// </summary>
[Alias("devicefabric.ILifecycleFeedGrain")]
public interface ILifecycleFeedGrain : IGrainWithStringKey
{
    /// <summary>How many events the feed keeps.</summary>
    public const int MaxEvents = 200;

    /// <summary>The latest <paramref name="top"/> events (1 to <see cref="MaxEvents"/>), newest first.</summary>
    Task<IReadOnlyList<DeviceLifecycleEvent>> RecentAsync(int top, CancellationToken cancellationToken = default);
}
