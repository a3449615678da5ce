namespace DeviceFabric.Devices;

/// <summary>Builds and splits the grain keys that scope a device by hub: <c>{hub}/{deviceId}</c>.</summary>
public static class DeviceKey
{
    /// <summary>The grain key of a device in a hub.</summary>
    public static string Create(string hub, string deviceId) => string.Concat(hub, "/", deviceId);

    /// <summary>Splits a device grain key into its hub and device id.</summary>
    public static (string Hub, string DeviceId) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1)
        {
            throw new ArgumentException($"'{key}' is not a device key of the form hub/deviceId.", nameof(key));
        }

        return (key[..slash], key[(slash + 1)..]);
    }
}
