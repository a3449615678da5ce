namespace DeviceFabric.Provisioning;

/// <summary>
/// An individual enrollment or an enrollment group: how its devices attest, which hubs they may go to and how one is
/// picked, what their twin starts with, and what happens when they register again. On a write, the etag and times are
/// the service's.
/// </summary>
/// <param name="Kind">Individual or group.</param>
/// <param name="Id">The registration id (individual) or enrollment group id.</param>
/// <param name="Attestation">Keys or certificates.</param>
/// <param name="Enabled">DPS's <c>provisioningStatus</c>: a disabled enrollment registers nobody.</param>
/// <param name="DeviceId">The device id to create (individual only; default: the registration id).</param>
/// <param name="IotHubs">Host names of the hubs it may allocate to; empty means every hub of the fabric.</param>
/// <param name="AllocationPolicy">How a hub is picked; null means hashed, the service's default.</param>
/// <param name="CustomAllocation">The webhook, when the policy is custom.</param>
/// <param name="ReprovisionPolicy">What registering again does.</param>
/// <param name="InitialTwinJson">The twin a new device starts with (<c>tags</c>, <c>properties.desired</c>), as JSON; null for none.</param>
/// <param name="IsEdge">Whether its devices are IoT Edge devices.</param>
/// <param name="ETag">The version the service gave it.</param>
/// <param name="CreatedTime">When it was created.</param>
/// <param name="UpdatedTime">When it last changed.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.Enrollment")]
public sealed record Enrollment(
    [property: Id(0)] EnrollmentKind Kind,
    [property: Id(1)] string Id,
    [property: Id(2)] Attestation Attestation,
    [property: Id(3)] bool Enabled = true,
    [property: Id(4)] string? DeviceId = null,
    [property: Id(5)] IReadOnlyList<string>? IotHubs = null,
    [property: Id(6)] AllocationPolicy? AllocationPolicy = null,
    [property: Id(7)] CustomAllocation? CustomAllocation = null,
    [property: Id(8)] ReprovisionPolicy? ReprovisionPolicy = null,
    [property: Id(9)] string? InitialTwinJson = null,
    [property: Id(10)] bool IsEdge = false,
    [property: Id(11)] string? ETag = null,
    [property: Id(12)] DateTimeOffset CreatedTime = default,
    [property: Id(13)] DateTimeOffset UpdatedTime = default)
{
    /// <summary>The reprovision policy in force: DPS's default re-provisions and migrates.</summary>
    public ReprovisionPolicy Reprovision => ReprovisionPolicy ?? new ReprovisionPolicy();
}
