namespace DeviceFabric.Updates;

/// <summary>An imported update: what its import manifest said, what devices get, and its files.</summary>
/// <param name="UpdateId">Provider, name and version.</param>
/// <param name="Description">The operator's description, if given.</param>
/// <param name="IsDeployable">Whether it may be deployed on its own.</param>
/// <param name="Compatibility">The device property sets it is for.</param>
/// <param name="ManifestVersion">The import manifest schema (<c>4.0</c>, <c>5.0</c>).</param>
/// <param name="CreatedDateTime">When its manifest was written.</param>
/// <param name="ImportedDateTime">When the fabric imported it.</param>
/// <param name="ImportManifestJson">The import manifest as uploaded.</param>
/// <param name="UpdateManifestJson">The update manifest devices get (files by id).</param>
/// <param name="Files">Its files, with the ids the update manifest names them by.</param>
/// <param name="ETag">Set at import.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateRecord")]
public sealed record UpdateRecord(
    [property: Id(0)] UpdateId UpdateId,
    [property: Id(1)] string? Description,
    [property: Id(2)] bool IsDeployable,
    [property: Id(3)] IReadOnlyList<IReadOnlyDictionary<string, string>> Compatibility,
    [property: Id(4)] string ManifestVersion,
    [property: Id(5)] DateTimeOffset CreatedDateTime,
    [property: Id(6)] DateTimeOffset ImportedDateTime,
    [property: Id(7)] string ImportManifestJson,
    [property: Id(8)] string UpdateManifestJson,
    [property: Id(9)] IReadOnlyList<UpdateFile> Files,
    [property: Id(10)] string ETag);

/// <summary>One file of an update.</summary>
/// <param name="FileId">Its id in the update manifest.</param>
/// <param name="FileName">Its name in the import manifest.</param>
/// <param name="SizeInBytes">Its size.</param>
/// <param name="Sha256">Its SHA-256, base64 as manifests write it.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateFile")]
public sealed record UpdateFile(
    [property: Id(0)] string FileId,
    [property: Id(1)] string FileName,
    [property: Id(2)] long SizeInBytes,
    [property: Id(3)] string Sha256)
{
    /// <summary>The name it is stored under: its SHA-256 in lower-case hex.</summary>
    public string ContentName => Convert.ToHexStringLower(Convert.FromBase64String(Sha256));
}

/// <summary>A file received for an import and written to the update directory's staging area, hashed as it came.</summary>
/// <param name="FileName">The name it was sent under.</param>
/// <param name="StagingName">Its name in the staging area.</param>
/// <param name="SizeInBytes">How many bytes came.</param>
/// <param name="Sha256">Their SHA-256, base64.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.StagedFile")]
public sealed record StagedFile(
    [property: Id(0)] string FileName,
    [property: Id(1)] string StagingName,
    [property: Id(2)] long SizeInBytes,
    [property: Id(3)] string Sha256);
