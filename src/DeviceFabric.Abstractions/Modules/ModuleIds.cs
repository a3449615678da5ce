using System.Buffers;

namespace DeviceFabric.Modules;

/// <summary>
/// A module's identity id inside the fabric is <c>{deviceId}/{moduleId}</c>: its grain key is then
/// <c>{hub}/{deviceId}/{moduleId}</c> (<see cref="Devices.DeviceKey"/>), and its MQTT client id is IoT Hub's. Device ids
/// never hold a <c>/</c>, so the first one splits the two. Module ids follow IoT Hub's rules; only the IoT Edge runtime's
/// own modules start with <c>$</c>.
/// </summary>
public static class ModuleIds
{
    /// <summary>The longest module id IoT Hub accepts.</summary>
    public const int MaxLength = 128;

    /// <summary>The most modules a device may have, as IoT Hub allows.</summary>
    public const int MaxPerDevice = 50;

    /// <summary>The IoT Edge agent's module, created with every edge device.</summary>
    public const string EdgeAgent = "$edgeAgent";

    /// <summary>The IoT Edge hub's module, created with every edge device.</summary>
    public const string EdgeHub = "$edgeHub";

    private static readonly SearchValues<char> s_allowed = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.+%_#*?!(),:=@$'");

    /// <summary>The symbols a module id may hold besides ASCII letters and digits (a device id's, and <c>:</c>), as messages list them.</summary>
    public const string Symbols = "- . + % _ # * ? ! ( ) , : = @ $ '";

    /// <summary>The identity id of a module of a device.</summary>
    public static string Compose(string deviceId, string moduleId) => string.Concat(deviceId, "/", moduleId);

    /// <summary>Splits an identity id into its device and, for a module, its module id.</summary>
    public static (string DeviceId, string? ModuleId) Split(string identityId)
    {
        var slash = identityId.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (identityId, null) : (identityId[..slash], identityId[(slash + 1)..]);
    }

    /// <summary>Whether an identity id names a module.</summary>
    public static bool IsModule(string identityId) => identityId.Contains('/', StringComparison.Ordinal);

    /// <summary>Whether a module id is one of the IoT Edge runtime's own.</summary>
    public static bool IsEdgeSystemModule(string moduleId) => moduleId is EdgeAgent or EdgeHub;

    /// <summary>Whether <paramref name="moduleId"/> follows IoT Hub's module id rules (system module ids included).</summary>
    public static bool IsValid(string? moduleId) =>
        !string.IsNullOrEmpty(moduleId)
        && moduleId.Length <= MaxLength
        && !moduleId.AsSpan().ContainsAnyExcept(s_allowed);

    /// <summary>
    /// Throws <see cref="DeviceFabricErrorCode.ArgumentInvalid"/> unless the id is valid and, when a caller names it,
    /// not one reserved for the IoT Edge runtime.
    /// </summary>
    public static void ThrowIfInvalid(string? moduleId, bool allowSystem)
    {
        if (!IsValid(moduleId))
        {
            throw new DeviceFabricException(
                DeviceFabricErrorCode.ArgumentInvalid,
                $"Module id '{moduleId?[..Math.Min(moduleId.Length, MaxLength)]}' is invalid: use 1-{MaxLength} ASCII letters, digits or {Symbols}.");
        }

        if (!allowSystem && moduleId![0] == '$' && !IsEdgeSystemModule(moduleId))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"Module id '{moduleId}' is invalid: ids starting with $ are reserved.");
        }
    }

    /// <summary>The SAS resource a module's token must cover: <c>{host}/devices/{deviceId}[/modules/{moduleId}]</c>.</summary>
    public static string TokenResource(string hostName, string identityId)
    {
        var (deviceId, moduleId) = Split(identityId);
        return moduleId is null ? $"{hostName}/devices/{deviceId}" : $"{hostName}/devices/{deviceId}/modules/{moduleId}";
    }
}
