namespace DeviceFabric.Telemetry;

/// <summary>One stored device-to-cloud message and where it sits in its partition.</summary>
/// <param name="Partition">The partition it is in.</param>
/// <param name="Offset">Its offset: the position to read from, to resume after it, or to checkpoint.</param>
/// <param name="SequenceNumber">Its number in the partition, counting from 1 without gaps.</param>
/// <param name="Message">The message.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.TelemetryEvent")]
public sealed record TelemetryEvent(
    [property: Id(0)] int Partition,
    [property: Id(1)] long Offset,
    [property: Id(2)] long SequenceNumber,
    [property: Id(3)] TelemetryMessage Message);

/// <summary>A read of one partition: its events, and where the next read carries on.</summary>
/// <param name="Events">The events, in partition order.</param>
/// <param name="Next">The position after the last event (or the one read from, when there were none).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.TelemetryReadResult")]
public sealed record TelemetryReadResult(
    [property: Id(0)] IReadOnlyList<TelemetryEvent> Events,
    [property: Id(1)] EventPosition Next);

/// <summary>What one partition holds, as Event Hubs describes a partition.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="FirstOffset">The offset of its oldest event, or null when it is empty.</param>
/// <param name="LastOffset">The offset of its newest event, or null when it is empty.</param>
/// <param name="FirstSequenceNumber">The oldest event's sequence number (0 when empty).</param>
/// <param name="LastSequenceNumber">The newest event's sequence number (0 when nothing was ever stored).</param>
/// <param name="LastEnqueuedTime">When its newest event was enqueued, or null when it is empty.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.TelemetryPartitionInfo")]
public sealed record TelemetryPartitionInfo(
    [property: Id(0)] int Partition,
    [property: Id(1)] long? FirstOffset,
    [property: Id(2)] long? LastOffset,
    [property: Id(3)] long FirstSequenceNumber,
    [property: Id(4)] long LastSequenceNumber,
    [property: Id(5)] DateTimeOffset? LastEnqueuedTime);
