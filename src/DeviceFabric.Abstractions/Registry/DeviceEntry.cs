using DeviceFabric.Devices;

namespace DeviceFabric.Registry;

/// <summary>
/// A device's row in the registry's catalog: what listing, statistics and queries need without waking the device.
/// Fields added later have defaults, so rows stored by earlier versions still load.
/// </summary>
/// <param name="DeviceId">The device id.</param>
/// <param name="Status">Whether the device may connect.</param>
/// <param name="ETag">The identity etag the row was taken from; a newer write replaces an older one.</param>
/// <param name="GenerationId">The device generation; a twin projection of another generation is stale.</param>
/// <param name="AuthenticationType">How the device authenticates.</param>
/// <param name="IsEdge">Whether the device is an IoT Edge device.</param>
/// <param name="ModelId">The IoT Plug and Play model id the device last announced.</param>
/// <param name="StatusReason">Why the status was set, if said.</param>
/// <param name="StatusUpdatedTime">When the status last changed.</param>
/// <param name="PrimaryThumbprint">The primary X.509 thumbprint of a self-signed device.</param>
/// <param name="SecondaryThumbprint">The secondary X.509 thumbprint of a self-signed device.</param>
/// <param name="CertificateThumbprint">The SHA-1 thumbprint of the client certificate the device last connected with.</param>
/// <param name="CertificateExpiry">When that certificate expires, for the expiring-certificates list.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceEntry")]
public sealed record DeviceEntry(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] DeviceStatus Status,
    [property: Id(2)] string ETag,
    [property: Id(3)] string? GenerationId = null,
    [property: Id(4)] DeviceAuthenticationType AuthenticationType = DeviceAuthenticationType.Sas,
    [property: Id(5)] bool IsEdge = false,
    [property: Id(6)] string? ModelId = null,
    [property: Id(7)] string? StatusReason = null,
    [property: Id(8)] DateTimeOffset StatusUpdatedTime = default,
    [property: Id(9)] string? PrimaryThumbprint = null,
    [property: Id(10)] string? SecondaryThumbprint = null,
    [property: Id(11)] string? CertificateThumbprint = null,
    [property: Id(12)] DateTimeOffset? CertificateExpiry = null);
