namespace DeviceFabric.Devices;

/// <summary>Whether a device has a live session.</summary>
public enum DeviceConnectionState
{
    /// <summary>No live session.</summary>
    Disconnected = 0,

    /// <summary>A live session is attached.</summary>
    Connected = 1,
}
