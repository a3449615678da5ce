namespace DeviceFabric.Events;

/// <summary>What happened to a device.</summary>
public enum DeviceLifecycleKind
{
    /// <summary>The identity was created.</summary>
    Created = 0,

    /// <summary>The identity was deleted.</summary>
    Deleted = 1,

    /// <summary>A session was attached.</summary>
    Connected = 2,

    /// <summary>The session was detached: the device left, was superseded, disabled or deleted, or went silent.</summary>
    Disconnected = 3,
}
