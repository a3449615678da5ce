namespace DeviceFabric.Contracts;

/// <summary>The answer to <c>GET /statistics/devices</c>.</summary>
public sealed class RegistryStatisticsJson
{
    /// <summary>All registered devices.</summary>
    public long TotalDeviceCount { get; set; }

    /// <summary>Enabled devices.</summary>
    public long EnabledDeviceCount { get; set; }

    /// <summary>Disabled devices.</summary>
    public long DisabledDeviceCount { get; set; }
}
