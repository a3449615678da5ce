namespace DeviceFabric.Telemetry;

/// <summary>One device-to-cloud message as a backend app receives it.</summary>
/// <param name="DeviceId">The device that sent it (from the connection, never from the message).</param>
/// <param name="EnqueuedTime">When the fabric accepted it.</param>
/// <param name="SystemProperties">IoT Hub's system properties: <c>message-id</c>, <c>correlation-id</c>, <c>content-type</c>, <c>content-encoding</c>, <c>iothub-connection-device-id</c>...</param>
/// <param name="Properties">The application properties from the topic's property bag.</param>
/// <param name="Body">The payload, as sent.</param>
/// <param name="ModuleId">The module that sent it, when a module did (its device is <paramref name="DeviceId"/>).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.TelemetryMessage")]
public sealed record TelemetryMessage(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] DateTimeOffset EnqueuedTime,
    [property: Id(2)] IReadOnlyDictionary<string, string> SystemProperties,
    [property: Id(3)] IReadOnlyDictionary<string, string> Properties,
    [property: Id(4)] byte[] Body,
    [property: Id(5)] string? ModuleId = null);
