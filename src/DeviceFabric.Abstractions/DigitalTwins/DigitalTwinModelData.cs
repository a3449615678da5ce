namespace DeviceFabric.DigitalTwins;

/// <summary>An uploaded DTDL model, as Azure Digital Twins describes one (<c>DigitalTwinsModelData</c>).</summary>
/// <param name="Id">Its DTMI.</param>
/// <param name="DisplayName">Its display name, by language.</param>
/// <param name="Description">Its description, by language.</param>
/// <param name="UploadTime">When it was uploaded.</param>
/// <param name="Decommissioned">No new twin may use it.</param>
/// <param name="Model">Its DTDL (JSON), when asked for.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DigitalTwinModelData")]
public sealed record DigitalTwinModelData(
    [property: Id(0)] string Id,
    [property: Id(1)] IReadOnlyDictionary<string, string> DisplayName,
    [property: Id(2)] IReadOnlyDictionary<string, string> Description,
    [property: Id(3)] DateTimeOffset UploadTime,
    [property: Id(4)] bool Decommissioned,
    [property: Id(5)] string? Model);

/// <summary>The models of a hub as stored, for the silos to compile: the DTDL of each and whether it is decommissioned.</summary>
/// <param name="Version">Changes with every upload, decommission and delete.</param>
/// <param name="Models">Each model's DTDL, or null when the caller holds <paramref name="Version"/> already.</param>
/// <param name="Decommissioned">The decommissioned models' ids.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DigitalTwinModelSnapshot")]
public sealed record DigitalTwinModelSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<string>? Models,
    [property: Id(2)] IReadOnlyList<string> Decommissioned);
