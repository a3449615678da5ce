namespace DeviceFabric.Devices;

/// <summary>A device's credentials: symmetric keys or X.509 thumbprints, primary and secondary.</summary>
/// <param name="Type">How the device authenticates.</param>
/// <param name="PrimaryKey">Base64 symmetric key; generated when empty for <see cref="DeviceAuthenticationType.Sas"/>.</param>
/// <param name="SecondaryKey">Base64 symmetric key; generated when empty for <see cref="DeviceAuthenticationType.Sas"/>.</param>
/// <param name="PrimaryThumbprint">Hex SHA-1 or SHA-256 thumbprint of the device certificate.</param>
/// <param name="SecondaryThumbprint">Hex thumbprint of the replacement certificate during rotation.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceAuthentication")]
public sealed record DeviceAuthentication(
    [property: Id(0)] DeviceAuthenticationType Type,
    [property: Id(1)] string? PrimaryKey = null,
    [property: Id(2)] string? SecondaryKey = null,
    [property: Id(3)] string? PrimaryThumbprint = null,
    [property: Id(4)] string? SecondaryThumbprint = null)
{
    /// <summary>SAS authentication with keys the fabric generates.</summary>
    public static DeviceAuthentication GeneratedSas { get; } = new(DeviceAuthenticationType.Sas);
}
