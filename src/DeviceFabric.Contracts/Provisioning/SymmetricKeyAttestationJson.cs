namespace DeviceFabric.Contracts.Provisioning;

/// <summary>An enrollment's two keys, base64.</summary>
public sealed class SymmetricKeyAttestationJson
{
    /// <summary>The primary key.</summary>
    public string? PrimaryKey { get; set; }

    /// <summary>The secondary key.</summary>
    public string? SecondaryKey { get; set; }
}
