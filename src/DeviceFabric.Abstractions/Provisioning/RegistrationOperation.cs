namespace DeviceFabric.Provisioning;

/// <summary>
/// The state of a registration request, as DPS answers a register or an operation-status poll: still assigning (poll
/// again after <see cref="RetryAfter"/>), or finished with the registration's record.
/// </summary>
[GenerateSerializer, Immutable, Alias("devicefabric.RegistrationOperation")]
public sealed record RegistrationOperation(
    [property: Id(0)] string OperationId,
    [property: Id(1)] RegistrationStatus Status,
    [property: Id(2)] DeviceRegistrationState? State,
    [property: Id(3)] TimeSpan RetryAfter);
