namespace DeviceFabric.Updates;

/// <summary>An import manifest that <see cref="ImportManifestRules.Parse"/> has checked: what an operator imports as an update.</summary>
/// <param name="UpdateId">The update's identity, its version with leading zeros dropped as Device Update drops them.</param>
/// <param name="Description">The operator's description, 1-512 characters, if given.</param>
/// <param name="IsDeployable">Whether the update may be deployed on its own; false for one only other updates refer to.</param>
/// <param name="Compatibility">
/// The sets of device properties (name to value, in the manifest's order) the update is for; a device matches when it
/// reports every property of one set. Empty only for an update that is not deployable.
/// </param>
/// <param name="Steps">The installation steps, in order.</param>
/// <param name="Files">The payload files, in the manifest's order.</param>
/// <param name="ManifestVersion">The import manifest schema, <c>4.0</c> or <c>5.0</c>.</param>
/// <param name="CreatedDateTime">When the manifest was written.</param>
internal sealed record ImportManifest(
    UpdateId UpdateId,
    string? Description,
    bool IsDeployable,
    IReadOnlyList<IReadOnlyDictionary<string, string>> Compatibility,
    IReadOnlyList<ImportStep> Steps,
    IReadOnlyList<ImportFile> Files,
    string ManifestVersion,
    DateTimeOffset CreatedDateTime);

/// <summary>One installation step of an import manifest.</summary>
/// <param name="Type"><see cref="ImportManifestRules.InlineStep"/> (a handler runs on the device) or <see cref="ImportManifestRules.ReferenceStep"/> (another update is installed).</param>
/// <param name="Description">The step's description, 1-64 characters, if given.</param>
/// <param name="Handler">For an inline step, the agent's handler that runs it, such as <c>microsoft/swupdate:1</c>.</param>
/// <param name="Files">For an inline step, the names of the manifest's files the handler gets; empty for a reference step.</param>
/// <param name="HandlerPropertiesJson">For an inline step, the JSON object passed to the handler, as compact JSON text, if given.</param>
/// <param name="ReferencedUpdate">For a reference step, the update it installs.</param>
internal sealed record ImportStep(
    string Type,
    string? Description,
    string? Handler,
    IReadOnlyList<string> Files,
    string? HandlerPropertiesJson,
    UpdateId? ReferencedUpdate);

/// <summary>A payload file of an import manifest, or one of a file's related files (schema 5.0, for delta updates).</summary>
/// <param name="FileName">The file's name, unique in the manifest (related files included).</param>
/// <param name="SizeInBytes">Its size, 1 to 2 GB.</param>
/// <param name="Sha256Base64">The base64 of its SHA-256 hash, as the agent checks it after download.</param>
/// <param name="RelatedFiles">Files the download handler uses to produce this one (such as deltas from older versions); empty for a related file.</param>
/// <param name="DownloadHandlerId">The agent's download handler that uses the related files, such as <c>microsoft/delta:1</c>, if given.</param>
internal sealed record ImportFile(
    string FileName,
    long SizeInBytes,
    string Sha256Base64,
    IReadOnlyList<ImportFile> RelatedFiles,
    string? DownloadHandlerId)
{
    /// <summary>
    /// The file's <c>properties</c> object as compact JSON text, if given. Device Update passes them through to the
    /// device untouched; a delta download handler reads the source file's hash from a related file's properties.
    /// </summary>
    public string? PropertiesJson { get; init; }
}
