namespace DeviceFabric.Contracts.Security;

/// <summary>An entry of a hub's revocation list.</summary>
public sealed class RevocationJson
{
    /// <summary>Hex SHA-1 or SHA-256 thumbprint; or give <see cref="SerialNumber"/>.</summary>
    public string? Thumbprint { get; set; }

    /// <summary>Hex serial number; or give <see cref="Thumbprint"/>.</summary>
    public string? SerialNumber { get; set; }

    /// <summary>Why it is revoked.</summary>
    public string? Reason { get; set; }

    /// <summary>When it was revoked (set by the fabric).</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The key it is listed and removed by: its thumbprint or <c>serial:{number}</c> (set by the fabric).</summary>
    public string? Key { get; set; }
}
