using DeviceFabric.Streams;

namespace DeviceFabric.Telemetry;

/// <summary>
/// Hands one partition's newly stored messages to its live stream (key: <c>{hub}/{partition}</c>, as the stream's):
/// the SDK's live subscriptions, alert rules and digital twin bindings hear telemetry from here, after the PUBACK,
/// never in the device's publish path. While nobody listens it hands nothing over: the log keeps everything.
/// </summary>
public interface ITelemetryFanOutGrain : IGrainWithStringKey
{
    /// <summary>Makes sure the fan-out runs (every silo calls it at start-up; a running one ignores it).</summary>
    Task StartAsync();

    /// <summary>
    /// A listener has arrived (a live subscription, a telemetry alert rule, a digital twin binding): the fan-out hands
    /// over from now on, not from its next periodic look, so what is stored after this returns reaches the listener.
    /// Whoever calls it has made the listener visible first; the periodic look ends the hand-over once none is left.
    /// </summary>
    Task ListenerArrivedAsync();
}

/// <summary>Tells all of a hub's fan-outs at once.</summary>
public static class TelemetryFanOut
{
    /// <summary>Calls <see cref="ITelemetryFanOutGrain.ListenerArrivedAsync"/> on every partition of <paramref name="hub"/>.</summary>
    public static Task ListenerArrivedAsync(IGrainFactory grains, string hub)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return Task.WhenAll(Enumerable.Range(0, FabricStreams.TelemetryPartitions)
            .Select(partition => grains.GetGrain<ITelemetryFanOutGrain>(FabricStreams.TelemetryKey(hub, partition)).ListenerArrivedAsync()));
    }
}
