namespace DeviceFabric.Registry;

/// <summary>Device counts of a hub, as IoT Hub's <c>GET /statistics/devices</c> reports them.</summary>
/// <param name="TotalDeviceCount">All registered devices.</param>
/// <param name="EnabledDeviceCount">Devices whose status is enabled.</param>
/// <param name="DisabledDeviceCount">Devices whose status is disabled.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.RegistryStatistics")]
public sealed record RegistryStatistics(
    [property: Id(0)] long TotalDeviceCount,
    [property: Id(1)] long EnabledDeviceCount,
    [property: Id(2)] long DisabledDeviceCount)
{
    /// <summary>No devices.</summary>
    public static RegistryStatistics Empty { get; } = new(0, 0, 0);

    /// <summary>The sum of two sets of counts.</summary>
    public RegistryStatistics Add(RegistryStatistics other) => new(
        TotalDeviceCount + other.TotalDeviceCount,
        EnabledDeviceCount + other.EnabledDeviceCount,
        DisabledDeviceCount + other.DisabledDeviceCount);
}
