using DeviceFabric.Devices;

namespace DeviceFabric.Contracts.Modules;

/// <summary>Maps between IoT Hub's module JSON and the fabric's identity records (a module's identity id is <c>{deviceId}/{moduleId}</c>).</summary>
public static class ModuleMapper
{
    /// <summary>The module as IoT Hub's module JSON.</summary>
    public static ModuleJson ToJson(DeviceIdentity module)
    {
        var (deviceId, moduleId) = DeviceFabric.Modules.ModuleIds.Split(module.DeviceId);
        return new ModuleJson
        {
            ModuleId = moduleId,
            DeviceId = deviceId,
            ManagedBy = module.ManagedBy,
            GenerationId = module.GenerationId,
            Etag = module.ETag,
            ConnectionState = module.ConnectionState.ToString(),
            ConnectionStateUpdatedTime = module.ConnectionStateUpdatedTime.UtcDateTime,
            LastActivityTime = module.LastActivityTime.UtcDateTime,
            CloudToDeviceMessageCount = 0,
            Authentication = DeviceMapper.ToJson(module.Authentication),
        };
    }

    /// <summary>What a module create or update sets: its credentials and <c>managedBy</c>.</summary>
    public static DeviceSettings ToSettings(ModuleJson body) =>
        DeviceMapper.ToSettings(null, null, body.Authentication, null) with { ManagedBy = body.ManagedBy };
}
