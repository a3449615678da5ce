using DeviceFabric.Devices;
using DeviceFabric.Hubs;
using DeviceFabric.Twins;

namespace DeviceFabric.Provisioning;

/// <summary>
/// Placing a registering device: the hub its enrollment allocates (or the one it has, when its reprovision policy keeps
/// it there), the device created or brought up to date there with its key, its twin (the enrollment's initial twin, or
/// the twin it had when it moves with its data), and only then the record. A device that moved is deleted from the hub
/// it left once the record of its new one is stored.
/// </summary>
internal sealed partial class DeviceRegistrationGrain
{
    /// <summary>Places the device; <paramref name="payloadJson"/> is what it sent, for a custom allocation webhook.</summary>
    private async Task AssignAsync(Enrollment enrollment, string? payloadJson)
    {
        var hubOptions = hubs.Value;
        var deviceId = enrollment.DeviceId ?? _registrationId;
        var previous = state.State.Record is { Status: RegistrationStatus.Assigned, AssignedHub: { } host } record
            ? (Hub: hubOptions.All.FirstOrDefault(h => string.Equals(h.HostName, host, StringComparison.OrdinalIgnoreCase)), record.DeviceId)
            : (Hub: null, DeviceId: null);

        var candidates = HubAllocator.Candidates(enrollment, hubOptions);
        var initialTwin = enrollment.InitialTwinJson;
        string? answerPayload = null;
        HubDefinition target;
        if (previous.Hub is not null && (state.State.MovedByOperator || !enrollment.Reprovision.UpdateHubAssignment))
        {
            target = previous.Hub;
        }
        else if (enrollment.AllocationPolicy == AllocationPolicy.Custom)
        {
            var answer = await webhook.AllocateAsync(enrollment, _registrationId, previous.Hub?.HostName, previous.DeviceId, payloadJson, [.. candidates.Select(h => h.HostName)]);
            target = candidates.First(h => string.Equals(h.HostName, answer.HubHostName, StringComparison.OrdinalIgnoreCase));
            initialTwin = answer.InitialTwinJson ?? initialTwin;
            answerPayload = answer.PayloadJson;
        }
        else
        {
            target = HubAllocator.Allocate(_registrationId, candidates);
        }

        var moving = previous.Hub is not null && (previous.Hub.Name != target.Name || previous.DeviceId != deviceId);
        string? twin = null;
        RegistrationSubstatus substatus;
        if (moving)
        {
            substatus = enrollment.Reprovision.MigrateDeviceData ? RegistrationSubstatus.DeviceDataMigrated : RegistrationSubstatus.DeviceDataReset;
            twin = enrollment.Reprovision.MigrateDeviceData
                ? await TwinOfAsync(previous.Hub!, previous.DeviceId!) ?? RegisteredTwin.Initial(initialTwin)
                : RegisteredTwin.Initial(initialTwin);
        }
        else
        {
            substatus = state.State.Record?.Substatus ?? RegistrationSubstatus.InitialAssignment;
        }

        var created = await EnsureDeviceAsync(target, deviceId, enrollment);
        if (twin is not null || created)
        {
            await GrainFactory.GetGrain<ITwinServiceGrain>(DeviceKey.Create(target.Name, deviceId))
                .ReplaceAsync(twin ?? RegisteredTwin.Initial(initialTwin), "*");
        }

        await StoreAsync(Record(RegistrationStatus.Assigned, substatus, target.HostName, deviceId, enrollment, answerPayload));
        if (enrollment.Kind == EnrollmentKind.Group)
        {
            await GroupRegistrations.RecordAsync(GrainFactory, enrollment.Id, _registrationId);
        }

        if (moving)
        {
            await DeleteIfPresentAsync(previous.Hub!, previous.DeviceId!);
        }
    }

    public async Task DeviceMovedAsync(string fromHost, string toHost, string deviceId, CancellationToken cancellationToken = default)
    {
        if (state.State.Record is not { Status: RegistrationStatus.Assigned } record
            || !string.Equals(record.AssignedHub, fromHost, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(record.DeviceId, deviceId, StringComparison.Ordinal))
        {
            return;
        }

        state.State.Version++;
        state.State.MovedByOperator = true;
        await StoreAsync(record with { AssignedHub = toHost, UpdatedTime = clock.Time.GetUtcNow(), ETag = ETags.FromVersion(state.State.Version) });
    }

    public async Task EnrollmentKeysChangedAsync(Enrollment enrollment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        var fromThisEnrollment = enrollment.Kind == EnrollmentKind.Group
            ? state.State.Record?.EnrollmentGroupId == enrollment.Id
            : state.State.Record?.EnrollmentGroupId is null && enrollment.Id == _registrationId;
        if (!fromThisEnrollment || state.State.Record is not { Status: RegistrationStatus.Assigned, AssignedHub: { } host, DeviceId: { } deviceId })
        {
            return;
        }

        var hub = hubs.Value.All.FirstOrDefault(h => string.Equals(h.HostName, host, StringComparison.OrdinalIgnoreCase));
        var identity = hub is null ? null : GrainFactory.GetGrain<IDeviceIdentityGrain>(DeviceKey.Create(hub.Name, deviceId));
        if (identity is not null && await identity.GetAsync(cancellationToken) is { Authentication.Type: DeviceAuthenticationType.Sas } existing)
        {
            // The device grain closes the session only if it used the key that was replaced.
            await identity.UpdateAsync(new DeviceSettings(existing.Status, existing.StatusReason, CredentialsOf(enrollment), existing.IsEdge), existing.ETag, cancellationToken);
        }
    }

    /// <summary>Creates the device with the enrollment's credentials, or brings an existing one's up to date; returns whether it created it.</summary>
    private async Task<bool> EnsureDeviceAsync(HubDefinition hub, string deviceId, Enrollment enrollment)
    {
        var identity = GrainFactory.GetGrain<IDeviceIdentityGrain>(DeviceKey.Create(hub.Name, deviceId));
        var authentication = CredentialsOf(enrollment);
        var existing = await identity.GetAsync();
        if (existing is null)
        {
            await identity.CreateAsync(new DeviceSettings(Authentication: authentication, IsEdge: enrollment.IsEdge));
            return true;
        }

        if (existing.Authentication != authentication || existing.IsEdge != enrollment.IsEdge)
        {
            await identity.UpdateAsync(new DeviceSettings(existing.Status, existing.StatusReason, authentication, enrollment.IsEdge), existing.ETag);
        }

        return false;
    }

    /// <summary>The device's own credentials: the enrollment's keys, a group's keys derived for this id, or the enrolled certificates.</summary>
    private DeviceAuthentication CredentialsOf(Enrollment enrollment)
    {
        var attestation = enrollment.Attestation;
        return attestation.Type switch
        {
            AttestationType.SymmetricKey when enrollment.Kind == EnrollmentKind.Group => new DeviceAuthentication(
                DeviceAuthenticationType.Sas,
                ProvisioningKeys.Derive(attestation.PrimaryKey!, _registrationId),
                ProvisioningKeys.Derive(attestation.SecondaryKey!, _registrationId)),
            AttestationType.SymmetricKey => new DeviceAuthentication(DeviceAuthenticationType.Sas, attestation.PrimaryKey, attestation.SecondaryKey),
            // A group referencing a hub's CA makes CA devices: every connect checks the chain, its revocations and the
            // CA. A group with its own signing certificate (not the hub's) makes a device known by its certificate.
            _ when enrollment.Kind == EnrollmentKind.Group && attestation.PrimaryCaReference is not null => new DeviceAuthentication(DeviceAuthenticationType.CertificateAuthority),
            _ when enrollment.Kind == EnrollmentKind.Group => new DeviceAuthentication(DeviceAuthenticationType.SelfSigned, PrimaryThumbprint: _attestedThumbprint),
            _ => new DeviceAuthentication(
                DeviceAuthenticationType.SelfSigned,
                PrimaryThumbprint: attestation.PrimaryCertificate?.Sha256Thumbprint,
                SecondaryThumbprint: attestation.SecondaryCertificate?.Sha256Thumbprint),
        };
    }

    private async Task<string?> TwinOfAsync(HubDefinition hub, string deviceId)
    {
        if (await GrainFactory.GetGrain<IDeviceIdentityGrain>(DeviceKey.Create(hub.Name, deviceId)).GetAsync() is null)
        {
            return null;
        }

        return RegisteredTwin.Migrated(await GrainFactory.GetGrain<ITwinServiceGrain>(DeviceKey.Create(hub.Name, deviceId)).GetAsync());
    }

    private async Task DeleteIfPresentAsync(HubDefinition hub, string deviceId)
    {
        try
        {
            await GrainFactory.GetGrain<IDeviceIdentityGrain>(DeviceKey.Create(hub.Name, deviceId)).DeleteAsync("*");
        }
        catch (DeviceFabricException ex) when (ex.Code == DeviceFabricErrorCode.DeviceNotFound)
        {
            // Deleted by someone else already.
        }
    }
}
