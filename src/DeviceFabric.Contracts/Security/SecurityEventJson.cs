namespace DeviceFabric.Contracts.Security;

/// <summary>One event of a hub's security audit history.</summary>
public sealed class SecurityEventJson
{
    /// <summary>Its position in the hub's history, from 1.</summary>
    public long Sequence { get; set; }

    /// <summary>What happened, e.g. <c>deviceKeyRegenerated</c>, <c>certificateRevoked</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>What it happened to.</summary>
    public string? Subject { get; set; }

    /// <summary>What changed, in words; never a secret.</summary>
    public string? Detail { get; set; }

    /// <summary>Who did it: the REST caller's policy, <c>grain-client</c> or <c>fabric</c>.</summary>
    public string? Actor { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset Time { get; set; }
}

/// <summary>A certificate that expires within the warning window (or has expired).</summary>
public sealed class ExpiringCertificateJson
{
    /// <summary><c>server</c>, <c>certificateAuthority</c> or <c>device</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>The CA's name, the device id, or the server certificate's subject.</summary>
    public string? Name { get; set; }

    /// <summary>Upper-case hex SHA-1 thumbprint.</summary>
    public string? Thumbprint { get; set; }

    /// <summary>When it expires.</summary>
    public DateTimeOffset NotAfter { get; set; }
}
