using System.Diagnostics.Metrics;

namespace DeviceFabric.Security;

/// <summary>Metrics of key, policy and certificate management (meter <c>DeviceFabric.Security</c>).</summary>
public sealed class SecurityInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceFabric.Security";

    private readonly Counter<long> _audited;
    private readonly Counter<long> _chainChecks;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public SecurityInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _audited = meter.CreateCounter<long>(
            "devicefabric-security-changes", "{change}", "Key, policy, certificate and revocation changes (and expiry warnings) recorded in the audit history, by kind.");
        _chainChecks = meter.CreateCounter<long>(
            "devicefabric-certificate-checks", "{check}", "Client certificates checked at connect, by authentication (selfSigned, certificateAuthority) and outcome (accepted, refused).");
    }

    internal void AuditRecorded(SecurityAuditKind kind) =>
        _audited.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString()));

    internal void CertificateChecked(string authentication, bool accepted) =>
        _chainChecks.Add(1, new KeyValuePair<string, object?>("authentication", authentication), new KeyValuePair<string, object?>("outcome", accepted ? "accepted" : "refused"));
}
