namespace DeviceFabric.Telemetry;

/// <summary>
/// The logs of a hub: its built-in event endpoint (named as the hub), the named log endpoints routes write to
/// (<c>{hub}.{endpoint}</c>), the dead-letter log of undeliverable routed messages and the log that carries routed
/// non-telemetry events to the endpoints. Every log has the hub's partitions and retention.
/// </summary>
public static class TelemetryLogNames
{
    /// <summary>The built-in endpoint's name, as IoT Hub's.</summary>
    public const string BuiltIn = "events";

    /// <summary>Where messages an endpoint could not take go, after its retries.</summary>
    public const string DeadLetter = "_deadletter";

    /// <summary>Routed lifecycle, connection-state, twin-change and job events on their way to the endpoints.</summary>
    public const string SystemEvents = "_system";

    /// <summary>The log of <paramref name="endpoint"/> of <paramref name="hub"/> (the built-in endpoint's is the hub's own name).</summary>
    public static string Of(string hub, string? endpoint) =>
        endpoint is null or BuiltIn ? hub : string.Concat(hub, ".", endpoint);

    /// <summary>The hub a log belongs to.</summary>
    public static string HubOf(string log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var dot = log.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? log : log[..dot];
    }
}
