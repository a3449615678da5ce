namespace DeviceFabric.Contracts;

/// <summary>A primary and a secondary symmetric key, base64.</summary>
public sealed class SymmetricKeyJson
{
    /// <summary>The primary key.</summary>
    public string? PrimaryKey { get; set; }

    /// <summary>The secondary key.</summary>
    public string? SecondaryKey { get; set; }
}
