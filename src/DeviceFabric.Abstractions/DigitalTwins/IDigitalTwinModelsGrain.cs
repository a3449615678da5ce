namespace DeviceFabric.DigitalTwins;

/// <summary>A hub's DTDL models (the digital twins instance is the hub). Key: the hub name.</summary>
[Alias("devicefabric.IDigitalTwinModelsGrain")]
public interface IDigitalTwinModelsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Uploads a batch of interfaces (a JSON array) that may reference each other and the models already there; all or
    /// nothing. Fails with <see cref="DeviceFabricErrorCode.DtdlParserError"/> naming the path of the first problem, or
    /// <see cref="DeviceFabricErrorCode.ModelAlreadyExists"/>.
    /// </summary>
    Task<IReadOnlyList<DigitalTwinModelData>> AddAsync(string modelsJson, CancellationToken cancellationToken = default);

    /// <summary>A model; fails with <see cref="DeviceFabricErrorCode.ModelNotFound"/>.</summary>
    Task<DigitalTwinModelData> GetAsync(string id, bool includeDefinition, CancellationToken cancellationToken = default);

    /// <summary>Every model, or those given and what they depend on (extends, components), by id.</summary>
    Task<IReadOnlyList<DigitalTwinModelData>> ListAsync(IReadOnlyList<string>? dependenciesFor, bool includeDefinition, CancellationToken cancellationToken = default);

    /// <summary>Decommissions a model: twins using it stay, no new twin may use it. Final.</summary>
    Task DecommissionAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes a model; refused (<see cref="DeviceFabricErrorCode.ModelReferencesNotDeleted"/>) while models or twins use it.</summary>
    Task DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The models as stored, or only the version when the caller holds <paramref name="knownVersion"/>. Interleaves: it reads memory only.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<DigitalTwinModelSnapshot> GetSnapshotAsync(long knownVersion, CancellationToken cancellationToken = default);
}
