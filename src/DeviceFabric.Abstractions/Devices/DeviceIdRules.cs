using System.Buffers;

namespace DeviceFabric.Devices;

/// <summary>IoT Hub's rules for device ids: 1-128 ASCII letters, digits and <c>- . + % _ # * ? ! ( ) , = @ $ '</c>.</summary>
public static class DeviceIdRules
{
    /// <summary>The longest device id IoT Hub accepts.</summary>
    public const int MaxLength = 128;

    private static readonly SearchValues<char> s_allowed = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.+%_#*?!(),=@$'");

    /// <summary>Whether <paramref name="deviceId"/> is a valid device id.</summary>
    public static bool IsValid(string? deviceId) =>
        !string.IsNullOrEmpty(deviceId)
        && deviceId.Length <= MaxLength
        && !deviceId.AsSpan().ContainsAnyExcept(s_allowed);

    /// <summary>Throws <see cref="DeviceFabricErrorCode.DeviceIdInvalid"/> unless the id is valid.</summary>
    public static void ThrowIfInvalid(string? deviceId)
    {
        if (!IsValid(deviceId))
        {
            throw new DeviceFabricException(
                DeviceFabricErrorCode.DeviceIdInvalid,
                $"Device id '{Truncate(deviceId)}' is invalid: use 1-{MaxLength} ASCII letters, digits or - . + % _ # * ? ! ( ) , = @ $ '.");
        }
    }

    private static string Truncate(string? value) =>
        value is null ? string.Empty : value.Length <= MaxLength ? value : string.Concat(value.AsSpan(0, MaxLength), "...");
}
