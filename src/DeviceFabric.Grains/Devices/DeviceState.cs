namespace DeviceFabric.Devices;

/// <summary>What a device grain stores. Ids are the storage contract: append only, never renumber.</summary>
[GenerateSerializer, Alias("devicefabric.DeviceState")]
public sealed class DeviceState
{
    /// <summary>False before creation and after deletion; the row is kept so etags never repeat.</summary>
    [Id(0)] public bool Exists { get; set; }

    /// <summary>Bumped by every write, deletes included; the etag is derived from it.</summary>
    [Id(1)] public long Version { get; set; }

    [Id(2)] public string GenerationId { get; set; } = string.Empty;

    [Id(3)] public DeviceStatus Status { get; set; }

    [Id(4)] public string? StatusReason { get; set; }

    [Id(5)] public DateTimeOffset StatusUpdatedTime { get; set; }

    [Id(6)] public DeviceAuthentication Authentication { get; set; } = DeviceAuthentication.GeneratedSas;

    [Id(7)] public bool IsEdge { get; set; }

    [Id(8)] public DateTimeOffset ConnectionStateUpdatedTime { get; set; }

    [Id(9)] public DateTimeOffset LastActivityTime { get; set; }

    /// <summary>The Plug and Play model id from the last accepted connection's username.</summary>
    [Id(10)] public string? ModelId { get; set; }

    /// <summary>The SHA-1 thumbprint of the client certificate the device last connected with.</summary>
    [Id(11)] public string? CertificateThumbprint { get; set; }

    /// <summary>When that certificate expires.</summary>
    [Id(12)] public DateTimeOffset? CertificateExpiry { get; set; }

    /// <summary>When the device last sent telemetry (as its front end reported it).</summary>
    [Id(13)] public DateTimeOffset? LastTelemetryTime { get; set; }

    /// <summary>The device's usual gap between messages, learned from its history.</summary>
    [Id(14)] public TimeSpan? LearnedTelemetryGap { get; set; }

    /// <summary>A device's module ids, in the order they were added (a module's own state has none).</summary>
    [Id(15)] public List<string> Modules { get; set; } = [];

    /// <summary>A module's <c>managedBy</c>.</summary>
    [Id(16)] public string? ManagedBy { get; set; }

    /// <summary>For a module: its device is disabled, so the module may not connect either.</summary>
    [Id(17)] public bool DeviceDisabled { get; set; }

    /// <summary>A device's status changed and its modules may not all have heard yet; told again until they have.</summary>
    [Id(18)] public bool ModulesStatusPending { get; set; }

    /// <summary>The latest connects and disconnects, oldest first, at most <see cref="DeviceGrain.MaxConnectionHistory"/>; stored with the connection state.</summary>
    [Id(19)] public List<ConnectionChange> ConnectionHistory { get; set; } = [];
}
