using System.Globalization;
using System.Security.Cryptography;
using DeviceFabric.Devices;
using DeviceFabric.Hubs;
using DeviceFabric.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Provisioning;

/// <summary>
/// One registration id (this file: attestation, operations and the record; <c>DeviceRegistrationGrain.Assign.cs</c>:
/// placing the device in its hub). A register starts the assignment and answers once it is done or
/// <see cref="ProvisioningOptions.AnswerWithin"/> has passed, whichever is first; polls then read its outcome.
/// </summary>
internal sealed partial class DeviceRegistrationGrain(
    [PersistentState("registration", GrainStorage.Name)] IPersistentState<DeviceRegistrationGrainState> state,
    DeviceFabric.Hosting.GrainClock clock,
    IOptions<HubOptions> hubs,
    IOptions<ProvisioningOptions> options,
    CustomAllocationWebhook webhook,
    ILogger<DeviceRegistrationGrain> logger) : Grain, IDeviceRegistrationGrain
{
    private string _registrationId = string.Empty;

    /// <summary>The certificate a group's X.509 device attested with: its device is created trusting that thumbprint.</summary>
    private string? _attestedThumbprint;

    /// <summary>The assignment under way, if any.</summary>
    private Task? _running;

    private IProvisioningServiceGrain Service => GrainFactory.GetGrain<IProvisioningServiceGrain>(IProvisioningServiceGrain.Key);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _registrationId = this.GetPrimaryKeyString();
        return Task.CompletedTask;
    }

    public async Task<RegistrationAttestation> AuthenticateAsync(ProvisioningCredentials credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (!EnrollmentRules.IsRegistrationId(_registrationId))
        {
            return RegistrationAttestation.Refused("malformed registration id");
        }

        var settings = await Service.GetSettingsAsync(options.Value.IdScope, cancellationToken);
        var individual = await GrainFactory.GetGrain<IEnrollmentGrain>(EnrollmentKey.Create(EnrollmentKind.Individual, _registrationId)).GetAsync(cancellationToken);
        var groups = individual is null && credentials.SasToken is not null ? await Service.GetSymmetricKeyGroupsAsync(cancellationToken) : [];
        var certificateGroups = individual is null && credentials.SasToken is not { Length: > 0 } && credentials.CertificateChain is { Count: > 0 }
            ? await CertificateGroupsAsync(cancellationToken)
            : [];
        return RegistrationAuthenticator.Authenticate(
            _registrationId, settings.IdScope, credentials, individual, groups, certificateGroups, clock.Time.GetUtcNow(), hubs.Value.TokenClockSkew);
    }

    /// <summary>
    /// Each enabled X.509 group with the CAs it trusts (its signing certificates, and the verified CAs its references
    /// name in the hubs it allocates to, read now so a CA deleted or not yet verified admits nobody) and the revocation
    /// lists of those hubs.
    /// </summary>
    private async Task<IReadOnlyList<(string GroupId, Security.CertificateTrust Trust)>> CertificateGroupsAsync(CancellationToken cancellationToken)
    {
        var groups = await Service.GetCertificateGroupsAsync(cancellationToken);
        var trusts = new Dictionary<string, Security.CertificateTrust>(StringComparer.OrdinalIgnoreCase);
        foreach (var hub in hubs.Value.All)
        {
            trusts[hub.HostName] = await GrainFactory.GetGrain<Security.IHubCertificatesGrain>(hub.Name).GetTrustAsync();
        }

        return groups.Select(g =>
        {
            var hubTrusts = trusts.Where(t => g.IotHubs.Count == 0 || g.IotHubs.Contains(t.Key, StringComparer.OrdinalIgnoreCase)).Select(t => t.Value).ToList();
            var signing = g.SigningCertificates.Select(der => new Security.TrustedAuthority(g.GroupId, der, Convert.ToHexString(SHA256.HashData(der))));
            var referenced = hubTrusts.SelectMany(t => t.Authorities).Where(a => g.CaReferences.Contains(a.Name, StringComparer.Ordinal));
            return (g.GroupId, new Security.CertificateTrust(0, [.. signing, .. referenced], [.. hubTrusts.SelectMany(t => t.Revocations)]));
        }).ToList();
    }

    public async Task<RegistrationOperation> RegisterAsync(RegistrationAttestation attestation, string? payloadJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        if (!attestation.Accepted || attestation.EnrollmentId is null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.IotHubUnauthorizedAccess, "The device did not attest an enrollment.");
        }

        if (_running is null)
        {
            _attestedThumbprint = attestation.CertificateThumbprint;
            // An enrollment that is gone or disabled registers nobody: the device is refused and nothing is recorded.
            var enrollment = await EnrollmentAsync(attestation, cancellationToken);
            state.State.OperationId = NewOperationId();
            _running = RunAsync(enrollment, payloadJson);
        }

        var running = _running;
        await Task.WhenAny(running, Task.Delay(options.Value.AnswerWithin, clock.Time, cancellationToken));
        return Current();
    }

    public Task<RegistrationOperation?> GetOperationAsync(string operationId, CancellationToken cancellationToken = default) =>
        Task.FromResult(string.Equals(operationId, state.State.OperationId, StringComparison.Ordinal) ? Current() : null);

    public Task<DeviceRegistrationState?> GetStateAsync(CancellationToken cancellationToken = default) => Task.FromResult(state.State.Record);

    public async Task DeleteStateAsync(string? ifMatch, CancellationToken cancellationToken = default)
    {
        var record = state.State.Record ?? throw new DeviceFabricException(DeviceFabricErrorCode.DeviceRegistrationNotFound, $"No registration record for {_registrationId}.");
        if (!ETags.Matches(ifMatch, record.ETag))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, "The registration record's etag does not match If-Match.");
        }

        await state.ClearStateAsync(cancellationToken);
        state.State = new DeviceRegistrationGrainState();
    }

    /// <summary>The latest operation as a device sees it: assigning while it runs, then its record's status.</summary>
    private RegistrationOperation Current()
    {
        var operationId = state.State.OperationId!;
        return _running is not null || state.State.Record is null
            ? new RegistrationOperation(operationId, RegistrationStatus.Assigning, null, options.Value.RetryAfter)
            : new RegistrationOperation(operationId, state.State.Record.Status, state.State.Record, TimeSpan.Zero);
    }

    private async Task<Enrollment> EnrollmentAsync(RegistrationAttestation attestation, CancellationToken cancellationToken)
    {
        var enrollment = await GrainFactory.GetGrain<IEnrollmentGrain>(EnrollmentKey.Create(attestation.Kind, attestation.EnrollmentId!)).GetAsync(cancellationToken);
        if (enrollment is null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.IotHubUnauthorizedAccess, "The enrollment no longer exists.");
        }

        return enrollment.Enabled
            ? enrollment
            : throw new DeviceFabricException(DeviceFabricErrorCode.IotHubUnauthorizedAccess, "The enrollment is disabled.");
    }

    private async Task RunAsync(Enrollment enrollment, string? payloadJson)
    {
        try
        {
            await AssignAsync(enrollment, payloadJson);
        }
        catch (Exception ex)
        {
            LogAssignmentFailed(logger, ex, _registrationId);
            await StoreAsync(Record(RegistrationStatus.Failed, null, null, null, enrollment) with
            {
                ErrorCode = ex is DeviceFabricException fabric ? (int)fabric.Code : (int)DeviceFabricErrorCode.ServerError,
                ErrorMessage = ex is DeviceFabricException ? ex.Message : "The assignment failed.",
            });
        }
        finally
        {
            _running = null;
        }
    }

    /// <summary>Stores the record; only then does a poll see it.</summary>
    private async Task StoreAsync(DeviceRegistrationState record)
    {
        state.State.Record = record;
        await state.WriteStateAsync();
    }

    private DeviceRegistrationState Record(RegistrationStatus status, RegistrationSubstatus? substatus, string? hubHost, string? deviceId, Enrollment enrollment, string? payloadJson = null)
    {
        var now = clock.Time.GetUtcNow();
        state.State.Version++;
        return new DeviceRegistrationState(
            _registrationId, status, substatus, hubHost, deviceId,
            enrollment.Kind == EnrollmentKind.Group ? enrollment.Id : null,
            null, null, payloadJson,
            state.State.Record?.CreatedTime ?? now, now, ETags.FromVersion(state.State.Version));
    }

    /// <summary>An operation id in DPS's form: a digit, the registration's hash, a random part.</summary>
    private string NewOperationId() => string.Create(
        CultureInfo.InvariantCulture,
        $"4.{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(_registrationId)).AsSpan(0, 8))}.{Guid.NewGuid():D}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "The registration of {RegistrationId} failed")]
    private static partial void LogAssignmentFailed(ILogger logger, Exception exception, string registrationId);
}
