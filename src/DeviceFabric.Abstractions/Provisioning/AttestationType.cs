namespace DeviceFabric.Provisioning;

/// <summary>How a device proves it is enrolled.</summary>
public enum AttestationType
{
    /// <summary>A SAS token signed with the enrollment's key (a group's: derived from it for the registration id).</summary>
    SymmetricKey,

    /// <summary>A TLS client certificate: an individual enrollment's, by thumbprint.</summary>
    X509,
}
