namespace DeviceFabric.Devices;

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
