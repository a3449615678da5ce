namespace DeviceFabric.Contracts.Security;

/// <summary>A CA certificate resource as IoT Hub's management API has it (<c>CertificateDescription</c>).</summary>
public sealed class CertificateJson
{
    /// <summary>The certificate's properties.</summary>
    public CertificatePropertiesJson? Properties { get; set; }

    /// <summary>The resource id: <c>/certificates/{name}</c>.</summary>
    public string? Id { get; set; }

    /// <summary>The certificate's name.</summary>
    public string? Name { get; set; }

    /// <summary>The etag, for If-Match.</summary>
    public string? Etag { get; set; }

    /// <summary><c>Microsoft.Devices/IotHubs/Certificate</c>.</summary>
    public string? Type { get; set; }
}

/// <summary>The properties of a CA certificate resource.</summary>
public sealed class CertificatePropertiesJson
{
    /// <summary>The certificate's subject.</summary>
    public string? Subject { get; set; }

    /// <summary>Expiry, RFC 1123 (<c>Sat, 31 Dec 2039 23:59:59 GMT</c>) as IoT Hub writes it.</summary>
    public string? Expiry { get; set; }

    /// <summary>Upper-case hex SHA-1 thumbprint.</summary>
    public string? Thumbprint { get; set; }

    /// <summary>Whether proof of possession passed; on upload, true only where the node allows it.</summary>
    public bool? IsVerified { get; set; }

    /// <summary><c>unverified</c> or <c>verified</c>.</summary>
    public string? Status { get; set; }

    /// <summary>When it was uploaded, RFC 1123.</summary>
    public string? Created { get; set; }

    /// <summary>When it last changed, RFC 1123.</summary>
    public string? Updated { get; set; }

    /// <summary>The PEM certificate.</summary>
    public string? Certificate { get; set; }

    /// <summary>The code a proof's subject CN must carry (in the answer to <c>generateVerificationCode</c>).</summary>
    public string? VerificationCode { get; set; }
}

/// <summary>The body of <c>POST /certificates/{name}/verify</c>: the proof of possession.</summary>
public sealed class CertificateVerificationJson
{
    /// <summary>A PEM certificate signed by the CA whose subject CN is the verification code.</summary>
    public string? Certificate { get; set; }
}
