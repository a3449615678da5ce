namespace DeviceFabric.Security;

/// <summary>The permissions a hub shared access policy grants, as IoT Hub names them.</summary>
[Flags]
public enum AccessRights
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Read the identity registry.</summary>
    RegistryRead = 1,

    /// <summary>Create, update and delete identities.</summary>
    RegistryWrite = 2,

    /// <summary>Service endpoints: twins, methods, cloud-to-device messages, telemetry, queries, jobs.</summary>
    ServiceConnect = 4,

    /// <summary>Device endpoints, on behalf of any device.</summary>
    DeviceConnect = 8,

    /// <summary>Every right.</summary>
    All = RegistryRead | RegistryWrite | ServiceConnect | DeviceConnect,
}
