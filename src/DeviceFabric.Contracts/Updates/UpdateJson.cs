using System.Text.Json;

namespace DeviceFabric.Contracts.Updates;

/// <summary>An imported update in Device Update's JSON shape (<c>/deviceUpdate/{instanceId}/updates/providers/.../versions/{v}</c>).</summary>
public sealed class UpdateJson
{
    /// <summary>Provider, name and version.</summary>
    public UpdateIdJson? UpdateId { get; set; }

    /// <summary>The operator's description.</summary>
    public string? Description { get; set; }

    /// <summary>Whether it may be deployed on its own.</summary>
    public bool IsDeployable { get; set; }

    /// <summary>The device property sets it is for.</summary>
    public List<Dictionary<string, string>>? Compatibility { get; set; }

    /// <summary>The import manifest's installation steps, as imported.</summary>
    public JsonElement? Instructions { get; set; }

    /// <summary>The import manifest schema.</summary>
    public string? ManifestVersion { get; set; }

    /// <summary>When the fabric imported it.</summary>
    public DateTime ImportedDateTime { get; set; }

    /// <summary>When its manifest was written.</summary>
    public DateTime CreatedDateTime { get; set; }

    /// <summary>Set at import.</summary>
    public string? Etag { get; set; }
}

/// <summary>An update's identity.</summary>
public sealed class UpdateIdJson
{
    /// <summary>Who publishes it.</summary>
    public string? Provider { get; set; }

    /// <summary>What it updates.</summary>
    public string? Name { get; set; }

    /// <summary>Its version, two to four numbers.</summary>
    public string? Version { get; set; }
}

/// <summary>One file of an update (<c>.../versions/{v}/files/{fileId}</c>).</summary>
public sealed class UpdateFileJson
{
    /// <summary>Its id in the update manifest.</summary>
    public string? FileId { get; set; }

    /// <summary>Its name.</summary>
    public string? FileName { get; set; }

    /// <summary>Its size.</summary>
    public long SizeInBytes { get; set; }

    /// <summary>Its hashes: <c>sha256</c>, base64.</summary>
    public Dictionary<string, string>? Hashes { get; set; }

    /// <summary>The update's etag.</summary>
    public string? Etag { get; set; }
}

/// <summary>What a device gets for an update: the update manifest and its signature (<c>.../versions/{v}/manifest</c>).</summary>
public sealed class UpdateDeliveryJson
{
    /// <summary>The update manifest, a JSON string, as placed in the device's twin.</summary>
    public string? UpdateManifest { get; set; }

    /// <summary>Its JWS (RS256) over <c>{"sha256": ...}</c>.</summary>
    public string? UpdateManifestSignature { get; set; }
}

/// <summary>The public key update manifests are signed with (a JSON Web Key, RSA).</summary>
public sealed class SigningKeyJson
{
    /// <summary><c>RSA</c>.</summary>
    public string? Kty { get; set; }

    /// <summary><c>RS256</c>.</summary>
    public string? Alg { get; set; }

    /// <summary><c>sig</c>.</summary>
    public string? Use { get; set; }

    /// <summary>The key's id, as signatures' headers name it.</summary>
    public string? Kid { get; set; }

    /// <summary>The modulus, base64url.</summary>
    public string? N { get; set; }

    /// <summary>The exponent, base64url.</summary>
    public string? E { get; set; }
}
