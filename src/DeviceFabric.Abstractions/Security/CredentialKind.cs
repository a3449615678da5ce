namespace DeviceFabric.Security;

/// <summary>The kinds of credential a session can authenticate with.</summary>
public enum CredentialKind
{
    /// <summary>A SAS token signed with the device's primary or secondary key.</summary>
    DeviceKey,

    /// <summary>A SAS token signed with a key of a hub policy that has DeviceConnect.</summary>
    PolicyKey,

    /// <summary>A client certificate whose thumbprint the device registered.</summary>
    SelfSignedCertificate,

    /// <summary>A client certificate chain ending at one of the hub's verified certificate authorities.</summary>
    CertificateAuthority,
}
