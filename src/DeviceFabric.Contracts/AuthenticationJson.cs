using System.Text.Json.Serialization;

namespace DeviceFabric.Contracts;

/// <summary>A device's credentials in IoT Hub's JSON shape.</summary>
public sealed class AuthenticationJson
{
    /// <summary><c>sas</c>, <c>selfSigned</c>, <c>certificateAuthority</c> or <c>none</c>.</summary>
    public string? Type { get; set; }

    /// <summary>The SAS keys; generated when left empty.</summary>
    public SymmetricKeyJson? SymmetricKey { get; set; }

    /// <summary>The X.509 thumbprints of a self-signed device.</summary>
    [JsonPropertyName("x509Thumbprint")]
    public X509ThumbprintJson? X509Thumbprint { get; set; }
}
