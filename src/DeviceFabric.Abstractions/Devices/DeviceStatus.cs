namespace DeviceFabric.Devices;

/// <summary>Whether a device may connect.</summary>
public enum DeviceStatus
{
    /// <summary>The device may connect (the default).</summary>
    Enabled = 0,

    /// <summary>The device is refused on connect and its live session is closed.</summary>
    Disabled = 1,
}
