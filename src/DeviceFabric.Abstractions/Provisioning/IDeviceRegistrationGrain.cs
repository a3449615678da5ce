namespace DeviceFabric.Provisioning;

/// <summary>
/// One registration id: checks a registering device's attestation, assigns it a hub (creating the device there with its
/// key and initial twin), and keeps the record. Key: the registration id. <c>assigned</c> is answered only once the
/// device, its twin and the record are stored.
/// </summary>
[Alias("devicefabric.IDeviceRegistrationGrain")]
public interface IDeviceRegistrationGrain : IGrainWithStringKey
{
    /// <summary>Checks a connect: an enrollment of this id, or a group whose derived key signed the token; changes nothing.</summary>
    Task<RegistrationAttestation> AuthenticateAsync(ProvisioningCredentials credentials, CancellationToken cancellationToken = default);

    /// <summary>Starts (or, once assigned, repeats idempotently) the registration the attested device asked for.</summary>
    Task<RegistrationOperation> RegisterAsync(RegistrationAttestation attestation, string? payloadJson, CancellationToken cancellationToken = default);

    /// <summary>The operation's state, or null when the id has no such operation.</summary>
    Task<RegistrationOperation?> GetOperationAsync(string operationId, CancellationToken cancellationToken = default);

    /// <summary>The registration record, or null when the id never registered.</summary>
    Task<DeviceRegistrationState?> GetStateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A migration moved the device from <paramref name="fromHost"/> to <paramref name="toHost"/>: a record that places it
    /// there now places it in the new hub, where registering again keeps it. A record of another device is left alone.
    /// </summary>
    Task DeviceMovedAsync(string fromHost, string toHost, string deviceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The enrollment that registered this id has new keys: the device it assigned gets the keys that follow from them.
    /// A record of another enrollment, or not assigned, is left alone.
    /// </summary>
    Task EnrollmentKeysChangedAsync(Enrollment enrollment, CancellationToken cancellationToken = default);

    /// <summary>Deletes the record (the device stays in its hub); 404 when there is none, 412 when the etag is stale.</summary>
    Task DeleteStateAsync(string? ifMatch, CancellationToken cancellationToken = default);
}
