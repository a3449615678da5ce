namespace DeviceFabric.Provisioning;

/// <summary>
/// The answer to a registering device's connect: accepted with the enrollment it proved it belongs to, or refused with a
/// reason for the log (never a secret).
/// </summary>
[GenerateSerializer, Immutable, Alias("devicefabric.RegistrationAttestation")]
public sealed record RegistrationAttestation(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] string? Reason,
    [property: Id(2)] EnrollmentKind Kind = EnrollmentKind.Individual,
    [property: Id(3)] string? EnrollmentId = null,
    [property: Id(4)] DateTimeOffset? ExpiresAt = null,
    [property: Id(5)] string? CertificateThumbprint = null)
{
    /// <summary>A refusal with its reason.</summary>
    public static RegistrationAttestation Refused(string reason) => new(false, reason);
}
