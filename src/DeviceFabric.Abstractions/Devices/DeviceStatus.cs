namespace DeviceFabric.Devices;

/// <summary>Whether a device may connect.</summary>
public enum DeviceStatus
{
    /// <summary>The device may connect (the default).</summary>
    Enabled = 0,

    /// <summary>The device is refused on connect and its live session is closed.</summary>
    Disabled = 1,
}

/// <summary>Whether a device has a live session.</summary>
public enum DeviceConnectionState
{
    /// <summary>No live session.</summary>
    Disconnected = 0,

    /// <summary>A live session is attached.</summary>
    Connected = 1,
}

/// <summary>How a device proves who it is.</summary>
public enum DeviceAuthenticationType
{
    /// <summary>SAS tokens signed with a symmetric key.</summary>
    Sas = 0,

    /// <summary>A self-signed X.509 certificate identified by its thumbprint.</summary>
    SelfSigned = 1,

    /// <summary>An X.509 certificate signed by a registered certificate authority.</summary>
    CertificateAuthority = 2,

    /// <summary>No credential of its own (connects through a hub policy token).</summary>
    None = 3,
}
