namespace DeviceFabric.Devices;

/// <summary>What a connecting device presents.</summary>
/// <param name="HostName">The host part of the MQTT username: the hub the device says it connects to.</param>
/// <param name="SasToken">The CONNECT password, when the device authenticates with a SAS token.</param>
/// <param name="CertificateThumbprints">SHA-1 and SHA-256 hex thumbprints of the TLS client certificate, when one was presented.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceCredentials")]
public sealed record DeviceCredentials(
    [property: Id(0)] string HostName,
    [property: Id(1)] string? SasToken,
    [property: Id(2)] IReadOnlyList<string>? CertificateThumbprints);

/// <summary>The answer to a connect attempt: accepted with the device's generation, or refused with a reason for the log.</summary>
/// <param name="Accepted">Whether the device may connect.</param>
/// <param name="Reason">Why it was refused; never contains a secret.</param>
/// <param name="GenerationId">The device's generation id when accepted.</param>
/// <param name="AuthMethod"><c>sas</c>, <c>x509</c> or <c>policy</c> when accepted.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceAuthResult")]
public sealed record DeviceAuthResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] string? Reason,
    [property: Id(2)] string? GenerationId = null,
    [property: Id(3)] string? AuthMethod = null)
{
    /// <summary>A refusal with its reason.</summary>
    public static DeviceAuthResult Refused(string reason) => new(false, reason);
}

/// <summary>A live connection of a device, as its front end describes it when attaching.</summary>
/// <param name="SessionId">Unique per connection; later calls about the connection name it.</param>
/// <param name="FrontEnd">The front end holding the socket, to be told when the session must close.</param>
/// <param name="ModelId">The IoT Plug and Play model id from the username, if any.</param>
/// <param name="ConnectedAt">When the front end accepted the connection: of two attaches that arrive out of order, the later connection wins.</param>
/// <param name="MethodsSubscribed">Whether the connection already holds a subscription to direct methods (a reused MQTT session keeps it).</param>
/// <param name="CloudToDeviceSubscribed">Whether it already holds a subscription to its cloud-to-device topic.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceSession")]
public sealed record DeviceSession(
    [property: Id(0)] Guid SessionId,
    [property: Id(1)] IDeviceConnectionObserver FrontEnd,
    [property: Id(2)] string? ModelId,
    [property: Id(3)] DateTimeOffset ConnectedAt,
    [property: Id(4)] bool MethodsSubscribed = false,
    [property: Id(5)] bool CloudToDeviceSubscribed = false);
