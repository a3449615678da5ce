namespace DeviceFabric.Telemetry;

/// <summary>
/// Reads a hub's telemetry log for grain clients (the SDK), which cannot reach the log themselves (key: the hub).
/// A stateless worker on the silo that takes the call; a read at the tail waits up to its limit for the first event.
/// </summary>
public interface ITelemetryReaderGrain : IGrainWithStringKey
{
    /// <summary>The longest a read may wait at the tail.</summary>
    static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    /// <summary>The most events one read returns.</summary>
    const int MaxCount = 1000;

    /// <summary>Reads up to <paramref name="maxCount"/> events of <paramref name="partition"/> from <paramref name="position"/>.</summary>
    Task<TelemetryReadResult> ReadAsync(int partition, EventPosition position, int maxCount, TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>Every partition of the hub's log, as it is now.</summary>
    Task<IReadOnlyList<TelemetryPartitionInfo>> GetPartitionsAsync(CancellationToken cancellationToken = default);
}
