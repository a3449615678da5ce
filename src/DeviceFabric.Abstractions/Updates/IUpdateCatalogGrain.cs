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

    /// <summary>Deletes an update; its files go unless another update has them.</summary>
    Task DeleteAsync(UpdateId updateId, CancellationToken cancellationToken = default);
}
