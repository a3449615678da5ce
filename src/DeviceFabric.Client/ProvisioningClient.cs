using DeviceFabric.Provisioning;

namespace DeviceFabric.Client;

/// <summary>
/// The fabric's provisioning service: the same operations and rules as DPS's service API (<c>/enrollments</c>,
/// <c>/enrollmentGroups</c>, <c>/registrations</c>), with the fabric's records.
/// </summary>
public class ProvisioningClient
{
    private readonly IGrainFactory _grains;

    internal ProvisioningClient(IGrainFactory grains) => _grains = grains;

    /// <summary>For mocking only.</summary>
    protected ProvisioningClient() => _grains = null!;

    /// <summary>The ID scope devices register with, and the service's policies.</summary>
    public virtual Task<ProvisioningServiceSettings> GetSettingsAsync(CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Service.GetSettingsAsync(cancellationToken: cancellationToken));

    /// <summary>Creates or replaces an enrollment (its kind and id say which); keys left out are generated.</summary>
    /// <exception cref="DeviceFabricServiceException">It breaks a rule (<see cref="DeviceFabricErrorCode.ArgumentInvalid"/>), or its etag changed.</exception>
    public virtual Task<Enrollment> CreateOrUpdateAsync(Enrollment enrollment, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        return DeviceFabricServiceException.TranslateAsync(() => Enrollment(enrollment.Kind, enrollment.Id).CreateOrUpdateAsync(enrollment, ifMatch, cancellationToken));
    }

    /// <summary>An enrollment.</summary>
    /// <exception cref="DeviceFabricServiceException">There is none (<see cref="DeviceFabricErrorCode.EnrollmentNotFound"/>).</exception>
    public virtual Task<Enrollment> GetAsync(EnrollmentKind kind, string id, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
            await Enrollment(kind, id).GetAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.EnrollmentNotFound, $"No {kind} enrollment {id}."));

    /// <summary>
    /// Regenerates a symmetric-key enrollment's primary or secondary key, or swaps them; the devices it registered get the
    /// new keys (derived ones for a group), so the replaced key stops working for registering and connecting at once.
    /// </summary>
    public virtual Task<Enrollment> RegenerateKeyAsync(EnrollmentKind kind, string id, Security.KeyRollover rollover, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => _grains.GetGrain<IEnrollmentGrain>(EnrollmentKey.Create(kind, id)).RegenerateKeyAsync(rollover, cancellationToken));

    /// <summary>Audit events of the provisioning service (enrollment key rollovers), oldest first.</summary>
    public virtual Task<IReadOnlyList<Security.SecurityAuditEvent>> ListSecurityEventsAsync(Security.SecurityAuditFilter? filter = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => _grains.GetGrain<Security.ISecurityAuditGrain>(IProvisioningServiceGrain.Key).ListAsync(filter ?? new Security.SecurityAuditFilter(), cancellationToken));

    /// <summary>Deletes an enrollment; with <paramref name="ifMatch"/> set, only if its etag is still that one.</summary>
    public virtual Task DeleteAsync(EnrollmentKind kind, string id, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Enrollment(kind, id).DeleteAsync(ifMatch, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>Enrollment ids of a kind in ordinal order, after <paramref name="after"/>, up to <paramref name="pageSize"/>.</summary>
    public virtual Task<IReadOnlyList<string>> ListAsync(EnrollmentKind kind, string? after = null, int pageSize = 100, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Service.ListEnrollmentsAsync(kind, after, Math.Clamp(pageSize, 1, 1000), cancellationToken));

    /// <summary>A registration id's record: where its device was assigned, or why it failed.</summary>
    /// <exception cref="DeviceFabricServiceException">It never registered (<see cref="DeviceFabricErrorCode.DeviceRegistrationNotFound"/>).</exception>
    public virtual Task<DeviceRegistrationState> GetRegistrationAsync(string registrationId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
            await _grains.GetGrain<IDeviceRegistrationGrain>(registrationId).GetStateAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.DeviceRegistrationNotFound, $"No registration record for {registrationId}."));

    /// <summary>Deletes a registration record (the device stays in its hub).</summary>
    public virtual Task DeleteRegistrationAsync(string registrationId, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await _grains.GetGrain<IDeviceRegistrationGrain>(registrationId).DeleteStateAsync(ifMatch, cancellationToken).ConfigureAwait(false);
            return true;
        });

    private IProvisioningServiceGrain Service => _grains.GetGrain<IProvisioningServiceGrain>(IProvisioningServiceGrain.Key);

    private IEnrollmentGrain Enrollment(EnrollmentKind kind, string id) => _grains.GetGrain<IEnrollmentGrain>(EnrollmentKey.Create(kind, id));
}
