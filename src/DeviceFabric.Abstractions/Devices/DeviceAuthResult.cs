namespace DeviceFabric.Devices;

/// <summary>The answer to a connect attempt: accepted with the device's generation, or refused with a reason for the log.</summary>
/// <param name="Accepted">Whether the device may connect.</param>
/// <param name="Reason">Why it was refused; never contains a secret.</param>
/// <param name="GenerationId">The device's generation id when accepted.</param>
/// <param name="AuthMethod"><c>sas</c>, <c>x509</c> or <c>policy</c> when accepted.</param>
/// <param name="ExpiresAt">When the credentials presented stop being valid (a SAS token's expiry), if they do: the session ends then.</param>
/// <param name="Credential">Which key or certificate was used, so a rollover ends this session only if it replaces that one.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceAuthResult")]
public sealed record DeviceAuthResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] string? Reason,
    [property: Id(2)] string? GenerationId = null,
    [property: Id(3)] string? AuthMethod = null,
    [property: Id(4)] DateTimeOffset? ExpiresAt = null,
    [property: Id(5)] Security.SessionCredential? Credential = null)
{
    /// <summary>A refusal with its reason.</summary>
    public static DeviceAuthResult Refused(string reason) => new(false, reason);
}
