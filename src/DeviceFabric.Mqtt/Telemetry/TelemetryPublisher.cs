using DeviceFabric.Streams;
using DeviceFabric.Telemetry;

namespace DeviceFabric.Mqtt.Telemetry;

/// <summary>
/// Stores telemetry in the hub's log, in the device's partition; the returned task completes once the message is
/// durable, which is when its PUBACK may go. Appends that overlap are committed together by the log (group commit),
/// and a device's messages arrive one at a time (MQTT handles one publish per connection at once), so they stay in order.
/// </summary>
internal sealed class TelemetryPublisher(ITelemetryLog log, TelemetryInstruments instruments)
{
    public async ValueTask PublishAsync(string hub, TelemetryMessage message)
    {
        await log.AppendAsync(hub, FabricStreams.TelemetryPartitionOf(message.DeviceId), message);
        instruments.Stored(hub);
    }
}
