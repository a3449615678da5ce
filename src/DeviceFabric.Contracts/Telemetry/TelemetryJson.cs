namespace DeviceFabric.Contracts.Telemetry;

/// <summary>One partition of the hub's event endpoint, as <c>GET /messages/events/partitions</c> lists it.</summary>
public sealed class TelemetryPartitionJson
{
    /// <summary>The partition's id, as a string as Event Hubs gives it.</summary>
    public string PartitionId { get; set; } = string.Empty;

    /// <summary>The oldest event's offset (null when empty).</summary>
    public long? FirstOffset { get; set; }

    /// <summary>The newest event's offset (null when empty).</summary>
    public long? LastOffset { get; set; }

    /// <summary>The oldest event's sequence number (0 when empty).</summary>
    public long FirstSequenceNumber { get; set; }

    /// <summary>The newest event's sequence number.</summary>
    public long LastSequenceNumber { get; set; }

    /// <summary>When the newest event was enqueued (null when empty).</summary>
    public DateTimeOffset? LastEnqueuedTime { get; set; }

    /// <summary>Whether the partition holds nothing.</summary>
    public bool IsEmpty { get; set; }
}

/// <summary>A consumer group's checkpoint on a partition: the offset of the last event it processed.</summary>
public sealed class CheckpointJson
{
    /// <summary>The offset.</summary>
    public long? Offset { get; set; }
}

/// <summary>One event of the event endpoint, as the <c>data</c> of a server-sent event.</summary>
public sealed class TelemetryEventJson
{
    /// <summary>The body as text, when it is UTF-8 JSON or text.</summary>
    public string? Body { get; set; }

    /// <summary>The body in base64, when it is not text.</summary>
    public string? BodyBase64 { get; set; }

    /// <summary>The application properties.</summary>
    public Dictionary<string, string> Properties { get; set; } = [];

    /// <summary>The system properties, with the event's offset, sequence number and enqueued time.</summary>
    public Dictionary<string, object> SystemProperties { get; set; } = [];
}
