namespace DeviceFabric.Updates;

/// <summary>
/// A hub's imported updates (Device Update's instance is the hub). Key: the hub name. An import returns once the
/// update is stored with its files in place.
/// </summary>
[Alias("devicefabric.IUpdateCatalogGrain")]
public interface IUpdateCatalogGrain : IGrainWithStringKey
{
    /// <summary>
    /// Imports an update from its import manifest and its files, already staged: every file the manifest names must
    /// have come, with its size and SHA-256. Fails with 400 naming what differs, or 409 when the update exists.
    /// </summary>
    Task<UpdateRecord> ImportAsync(string importManifestJson, IReadOnlyList<StagedFile> files, CancellationToken cancellationToken = default);

    /// <summary>An update; fails with <see cref="DeviceFabricErrorCode.UpdateNotFound"/>.</summary>
    Task<UpdateRecord> GetAsync(UpdateId updateId, CancellationToken cancellationToken = default);

    /// <summary>Every update of the hub, by provider, name and version.</summary>
    Task<IReadOnlyList<UpdateRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>What a device gets for an update: its update manifest and the manifest's signature (a JWS, RS256).</summary>
    Task<UpdateDelivery> GetDeliveryAsync(UpdateId updateId, CancellationToken cancellationToken = default);

    /// <summary>The public key update manifests are signed with, as a JSON Web Key.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<string> GetSigningKeyAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes an update; its files go unless another update has them.</summary>
    Task DeleteAsync(UpdateId updateId, CancellationToken cancellationToken = default);
}

/// <summary>What a device gets for an update, in its twin.</summary>
/// <param name="UpdateManifest">The update manifest, a JSON string.</param>
/// <param name="UpdateManifestSignature">Its JWS (RS256): the payload is <c>{"sha256": base64(SHA-256(UpdateManifest))}</c>.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateDelivery")]
public sealed record UpdateDelivery([property: Id(0)] string UpdateManifest, [property: Id(1)] string UpdateManifestSignature);
