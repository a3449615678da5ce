namespace DeviceFabric.Contracts.Devices;

/// <summary>A device's or module's connection state and its latest connects and disconnects, newest first.</summary>
public sealed class ConnectionHistoryJson
{
    /// <summary>The device.</summary>
    public string? DeviceId { get; set; }

    /// <summary>The module, for a module's history.</summary>
    public string? ModuleId { get; set; }

    /// <summary><c>Connected</c> or <c>Disconnected</c>, as the device's own <c>connectionState</c>.</summary>
    public string? ConnectionState { get; set; }

    /// <summary>When the state last changed.</summary>
    public DateTimeOffset ConnectionStateUpdatedTime { get; set; }

    /// <summary>When the device was last heard from.</summary>
    public DateTimeOffset LastActivityTime { get; set; }

    /// <summary>The latest changes, newest first.</summary>
    public List<ConnectionChangeJson> History { get; set; } = [];
}

/// <summary>One connect or disconnect.</summary>
public sealed class ConnectionChangeJson
{
    /// <summary>When.</summary>
    public DateTimeOffset Time { get; set; }

    /// <summary><c>Connected</c> or <c>Disconnected</c>.</summary>
    public string? State { get; set; }

    /// <summary>The session's sequence number, as IoT Hub's connection-state events carry it: a connect and its disconnect share one.</summary>
    public string? SequenceNumber { get; set; }

    /// <summary>Why the session ended, when known.</summary>
    public string? Reason { get; set; }
}

/// <summary>One of a hub's recent device lifecycle events.</summary>
public sealed class LifecycleEventJson
{
    /// <summary>When it happened.</summary>
    public DateTimeOffset Time { get; set; }

    /// <summary><c>created</c>, <c>deleted</c>, <c>connected</c> or <c>disconnected</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>The device.</summary>
    public string? DeviceId { get; set; }

    /// <summary>The module, for a module's event.</summary>
    public string? ModuleId { get; set; }

    /// <summary>Why a session ended, when known.</summary>
    public string? Reason { get; set; }
}
