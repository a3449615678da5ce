namespace DeviceFabric.Contracts;

/// <summary>A primary and a secondary certificate thumbprint, hex.</summary>
public sealed class X509ThumbprintJson
{
    /// <summary>The primary thumbprint.</summary>
    public string? PrimaryThumbprint { get; set; }

    /// <summary>The secondary thumbprint.</summary>
    public string? SecondaryThumbprint { get; set; }
}
