namespace DeviceFabric.Telemetry;

/// <summary>
/// The durable, partitioned log of a hub's device-to-cloud messages: the built-in endpoint backends read at their own
/// pace. An append completes only once the message is stored (that is when its PUBACK may go); a device always maps to
/// the same partition, and a partition keeps the order its appends completed in. One node keeps it in files of its data
/// directory, a cluster in NATS JetStream; both behave alike behind this interface.
/// </summary>
public interface ITelemetryLog
{
    /// <summary>
    /// Stores <paramref name="message"/> at the end of <paramref name="partition"/> of <paramref name="hub"/>; completes
    /// when it is durable. Appends that overlap are committed together.
    /// </summary>
    ValueTask AppendAsync(string hub, int partition, TelemetryMessage message);

    /// <summary>
    /// Reads up to <paramref name="maxCount"/> events of a partition from <paramref name="position"/>, waiting up to
    /// <paramref name="maxWait"/> for the first one when there is none yet (an empty result then).
    /// </summary>
    Task<TelemetryReadResult> ReadAsync(string hub, int partition, EventPosition position, int maxCount, TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>What a partition holds now: its first and last offsets and when its last event was enqueued.</summary>
    Task<TelemetryPartitionInfo> GetPartitionAsync(string hub, int partition, CancellationToken cancellationToken = default);

    /// <summary>Removes what is older than the hub's retention or beyond its size; returns how many events went.</summary>
    Task<long> ApplyRetentionAsync(string hub, int partition, CancellationToken cancellationToken = default);
}
