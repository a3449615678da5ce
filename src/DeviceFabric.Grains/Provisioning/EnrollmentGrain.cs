using DeviceFabric.Devices;
using DeviceFabric.Hubs;
using DeviceFabric.Persistence;
using DeviceFabric.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Provisioning;

/// <summary>
/// One enrollment, individual or group. A write is checked (<see cref="EnrollmentRules"/>), stored, then entered in the
/// provisioning service's index, which lists enrollments and finds groups by key; a group's registrations are listed by <see cref="GroupRegistrations"/>.
/// </summary>
internal sealed partial class EnrollmentGrain(
    [PersistentState("enrollment", GrainStorage.Name)] IPersistentState<EnrollmentState> state,
    DeviceFabric.Hosting.GrainClock clock,
    IOptions<HubOptions> hubs,
    ILogger<EnrollmentGrain> logger) : Grain, IEnrollmentGrain
{
    private const int RekeyPageSize = 500;

    private EnrollmentKind _kind;
    private string _id = string.Empty;

    private IProvisioningServiceGrain Service => GrainFactory.GetGrain<IProvisioningServiceGrain>(IProvisioningServiceGrain.Key);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_kind, _id) = EnrollmentKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public Task<Enrollment?> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(state.State.Enrollment);

    public async Task<Enrollment> CreateOrUpdateAsync(Enrollment enrollment, string? ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        var current = state.State.Enrollment;
        if (current is not null && !ETags.Matches(ifMatch, current.ETag!))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, "The enrollment's etag does not match If-Match.");
        }

        if (current is null && !string.IsNullOrWhiteSpace(ifMatch) && ifMatch.Trim('"') != "*")
        {
            throw NotFound();
        }

        var now = clock.Time.GetUtcNow();
        var version = current is null ? 1 : ETags.ToVersion(current.ETag!) + 1;
        var stored = EnrollmentRules.Normalize(enrollment with { Kind = _kind, Id = _id }, hubs.Value) with
        {
            ETag = ETags.FromVersion(version),
            CreatedTime = current?.CreatedTime ?? now,
            UpdatedTime = now,
        };
        state.State.Enrollment = stored;
        await state.WriteStateAsync(cancellationToken);
        await Service.EnrollmentChangedAsync(_kind, _id, stored, cancellationToken);
        return stored;
    }

    public async Task<Enrollment> RegenerateKeyAsync(KeyRollover rollover, CancellationToken cancellationToken = default)
    {
        var current = state.State.Enrollment ?? throw NotFound();
        if (current.Attestation is not { Type: AttestationType.SymmetricKey } keys)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "Only symmetric-key enrollments have keys to regenerate.");
        }

        var (primary, secondary) = rollover.Apply(keys.PrimaryKey!, keys.SecondaryKey!, ProvisioningKeys.Generate);
        var attestation = keys with { PrimaryKey = primary, SecondaryKey = secondary };
        var stored = await CreateOrUpdateAsync(current with { Attestation = attestation }, current.ETag, cancellationToken);
        await SecurityNotices.AuditAsync(GrainFactory, IProvisioningServiceGrain.Key, SecurityAuditKind.EnrollmentKeyRegenerated, EnrollmentKey.Create(_kind, _id),
            rollover.Describe(), logger);
        await RekeyDevicesAsync(stored, cancellationToken);
        return stored;
    }

    /// <summary>
    /// Gives the devices this enrollment registered their new keys; a group's registrations are walked a page at a time,
    /// a few at once. A device that could not be reached keeps its old key until the enrollment changes again, and the
    /// failure is logged; the enrollment's new keys are stored either way, so registration already refuses the old ones.
    /// </summary>
    private async Task RekeyDevicesAsync(Enrollment enrollment, CancellationToken cancellationToken)
    {
        if (_kind == EnrollmentKind.Individual)
        {
            await RekeyAsync(_id, enrollment, cancellationToken);
            return;
        }

        string? after = null;
        IReadOnlyList<string> page;
        do
        {
            page = await GroupRegistrations.ListAsync(GrainFactory, _id, after, RekeyPageSize, cancellationToken);
            // Batches awaited on the grain's own scheduler (grain calls cannot be made from thread-pool threads).
            foreach (var batch in page.Chunk(16))
            {
                await Task.WhenAll(batch.Select(registrationId => RekeyAsync(registrationId, enrollment, cancellationToken)));
            }
            after = page.Count > 0 ? page[^1] : null;
        }
        while (page.Count == RekeyPageSize);
    }

    private async Task RekeyAsync(string registrationId, Enrollment enrollment, CancellationToken cancellationToken)
    {
        try
        {
            await GrainFactory.GetGrain<IDeviceRegistrationGrain>(registrationId).EnrollmentKeysChangedAsync(enrollment, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRekeyFailed(logger, ex, registrationId);
        }
    }

    public async Task DeleteAsync(string? ifMatch, CancellationToken cancellationToken = default)
    {
        var current = state.State.Enrollment ?? throw NotFound();
        if (!ETags.Matches(ifMatch, current.ETag!))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, "The enrollment's etag does not match If-Match.");
        }

        // The enrollment goes first: the index is only a finder, and every match it gives is checked against the enrollment.
        await state.ClearStateAsync(cancellationToken);
        state.State = new EnrollmentState();
        await Service.EnrollmentChangedAsync(_kind, _id, null, cancellationToken);
    }

    private DeviceFabricException NotFound() =>
        new(DeviceFabricErrorCode.EnrollmentNotFound, _kind == EnrollmentKind.Individual ? $"No enrollment for {_id}." : $"No enrollment group {_id}.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not give the device of registration {RegistrationId} its enrollment's new keys; it keeps the old ones until the enrollment changes again")]
    private static partial void LogRekeyFailed(ILogger logger, Exception exception, string registrationId);
}
