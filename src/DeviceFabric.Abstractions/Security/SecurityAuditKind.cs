namespace DeviceFabric.Security;

/// <summary>What a security audit event records.</summary>
public enum SecurityAuditKind
{
    /// <summary>A device's keys or thumbprints were set by an update or import.</summary>
    DeviceCredentialsChanged,

    /// <summary>A device key was regenerated or the keys swapped.</summary>
    DeviceKeyRegenerated,

    /// <summary>A hub policy was created.</summary>
    PolicyCreated,

    /// <summary>A hub policy's rights or keys were replaced.</summary>
    PolicyUpdated,

    /// <summary>A hub policy key was regenerated or the keys swapped.</summary>
    PolicyKeyRegenerated,

    /// <summary>A hub policy was deleted.</summary>
    PolicyDeleted,

    /// <summary>A CA certificate was uploaded or replaced.</summary>
    CertificateUploaded,

    /// <summary>A verification code was issued for a CA certificate.</summary>
    CertificateVerificationCodeIssued,

    /// <summary>A CA certificate passed proof of possession.</summary>
    CertificateVerified,

    /// <summary>A CA certificate was deleted.</summary>
    CertificateDeleted,

    /// <summary>A certificate was put on the revocation list.</summary>
    CertificateRevoked,

    /// <summary>A certificate was taken off the revocation list.</summary>
    RevocationRemoved,

    /// <summary>A certificate the fabric knows expires within the warning window.</summary>
    CertificateExpiring,

    /// <summary>A provisioning enrollment or enrollment group key was regenerated.</summary>
    EnrollmentKeyRegenerated,
}
