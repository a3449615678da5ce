namespace DeviceFabric.Telemetry;

/// <summary>
/// Hands one partition's newly stored messages to its live stream (key: <c>{hub}/{partition}</c>, as the stream's):
/// the SDK's live subscriptions, alert rules and digital twin bindings hear telemetry from here, after the PUBACK,
/// never in the device's publish path.
/// </summary>
public interface ITelemetryFanOutGrain : IGrainWithStringKey
{
    /// <summary>Makes sure the fan-out runs (every silo calls it at start-up; a running one ignores it).</summary>
    Task StartAsync();
}
