using DeviceFabric.Devices;

namespace DeviceFabric.Registry;

/// <summary>The health facet of a registry shard: each device's newest liveliness, kept in memory for queries.</summary>
internal sealed partial class RegistryShardGrain
{
    public Task ReportHealthAsync(string deviceId, DeviceHealthReport report)
    {
        if (_ids.Contains(deviceId))
        {
            _health[deviceId] = report;
        }

        return Task.CompletedTask;
    }
}
