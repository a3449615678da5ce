namespace DeviceFabric.Provisioning;

/// <summary>
/// The fabric's provisioning service: its ID scope and policies (created on first use and stored), and the index of its
/// enrollments, which lists them and finds the group a device's key was derived from. Key: <see cref="Key"/>.
/// </summary>
[Alias("devicefabric.IProvisioningServiceGrain")]
public interface IProvisioningServiceGrain : IGrainWithStringKey
{
    /// <summary>The one provisioning service's grain key.</summary>
    public const string Key = "provisioning";

    /// <summary>The ID scope and policies, creating them on first call (with <paramref name="idScope"/> if one is configured).</summary>
    Task<ProvisioningServiceSettings> GetSettingsAsync(string? idScope = null, CancellationToken cancellationToken = default);

    /// <summary>An enrollment was written (<paramref name="enrollment"/>) or deleted (null): the index follows.</summary>
    Task EnrollmentChangedAsync(EnrollmentKind kind, string id, Enrollment? enrollment, CancellationToken cancellationToken = default);

    /// <summary>Enrollment ids of a kind in order, after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<string>> ListEnrollmentsAsync(EnrollmentKind kind, string? after, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The enabled symmetric-key groups and their keys, which a device's derived key is tried against.</summary>
    Task<IReadOnlyList<GroupKeys>> GetSymmetricKeyGroupsAsync(CancellationToken cancellationToken = default);

    /// <summary>The enabled X.509 groups and their CAs, which a registering device's certificate chain is tried against.</summary>
    Task<IReadOnlyList<CertificateGroup>> GetCertificateGroupsAsync(CancellationToken cancellationToken = default);
}
