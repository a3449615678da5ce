namespace DeviceFabric;

/// <summary>
/// A contract violation inside the fabric (unknown device, stale etag, invalid id...). It crosses grain boundaries and
/// each edge translates its <see cref="Code"/> into the protocol's own error.
/// </summary>
[GenerateSerializer, Alias("devicefabric.DeviceFabricException")]
public sealed class DeviceFabricException : Exception
{
    /// <summary>Creates an exception with the given code and message.</summary>
    public DeviceFabricException(DeviceFabricErrorCode code, string message)
        : base(message) => Code = code;

    /// <summary>Creates an exception with a generic message.</summary>
    public DeviceFabricException()
        : this(DeviceFabricErrorCode.ServerError, "Unexpected error.")
    {
    }

    /// <summary>Creates an exception with a server-error code.</summary>
    public DeviceFabricException(string message)
        : this(DeviceFabricErrorCode.ServerError, message)
    {
    }

    /// <summary>Creates an exception with a server-error code that wraps another.</summary>
    public DeviceFabricException(string message, Exception innerException)
        : base(message, innerException) => Code = DeviceFabricErrorCode.ServerError;

    /// <summary>What went wrong, in the fabric's error vocabulary.</summary>
    [Id(0)]
    public DeviceFabricErrorCode Code { get; private set; }

    /// <summary>Throws <see cref="DeviceFabricErrorCode.DeviceNotFound"/> for the id.</summary>
    public static DeviceFabricException DeviceNotFound(string deviceId) =>
        new(DeviceFabricErrorCode.DeviceNotFound, $"Device {deviceId} not found.");

    /// <summary>Throws <see cref="DeviceFabricErrorCode.ModuleNotFound"/> for the module of a device.</summary>
    public static DeviceFabricException ModuleNotFound(string deviceId, string moduleId) =>
        new(DeviceFabricErrorCode.ModuleNotFound, $"Module {moduleId} not found on device {deviceId}.");

    /// <summary>The not-found error of a device or, for an identity id <c>{deviceId}/{moduleId}</c>, of a module.</summary>
    public static DeviceFabricException IdentityNotFound(string identityId) =>
        Modules.ModuleIds.Split(identityId) is (var deviceId, { } moduleId) ? ModuleNotFound(deviceId, moduleId) : DeviceNotFound(identityId);
}
