namespace DeviceFabric.Telemetry;

/// <summary>Messages accepted together for one telemetry partition, in the order each device sent its own.</summary>
/// <param name="Messages">The messages.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.TelemetryBatch")]
public sealed record TelemetryBatch([property: Id(0)] IReadOnlyList<TelemetryMessage> Messages);
