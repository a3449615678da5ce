using DeviceFabric.Devices;
using DeviceFabric.Modules;

namespace DeviceFabric.Configurations;

/// <summary><c>applyConfigurationContent</c>: one edge device's manifest, checked as a deployment's and written into its module twins.</summary>
internal sealed partial class ConfigurationsGrain
{
    public async Task ApplyToDeviceAsync(string deviceId, ConfigurationContent content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        DeviceIdRules.ThrowIfInvalid(deviceId);
        if (content.ModulesContent.Count == 0)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "content.modulesContent is required: it is the IoT Edge manifest to apply.");
        }

        ConfigurationRules.Compile(content with { DeviceContent = new Dictionary<string, string>(), ModuleContent = new Dictionary<string, string>() });
        var device = await GrainFactory.GetGrain<IDeviceIdentityGrain>(DeviceKey.Create(Hub, deviceId)).GetAsync(cancellationToken)
            ?? throw DeviceFabricException.DeviceNotFound(deviceId);
        if (!device.IsEdge)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"Device {deviceId} is not an IoT Edge device (capabilities.iotEdge).");
        }

        // Modules the edge agent has not created yet have no twin to write; it creates them from the agent's manifest.
        var modules = await GrainFactory.GetGrain<IDeviceModulesGrain>(DeviceKey.Create(Hub, deviceId)).ListModulesAsync(cancellationToken);
        var existing = modules.Select(m => ModuleIds.Split(m.DeviceId).ModuleId!).ToHashSet(StringComparer.Ordinal);
        await Task.WhenAll(content.ModulesContent.Where(m => existing.Contains(m.Key)).Select(m =>
            GrainFactory.GetGrain<ITwinConfigurationGrain>(DeviceKey.Create(Hub, ModuleIds.Compose(deviceId, m.Key))).ApplyContentAsync(m.Value, cancellationToken)));
    }
}
