namespace DeviceFabric.Twins;

/// <summary>The device-side facet of a device twin, called by the front end on behalf of the connected device.</summary>
[Alias("devicefabric.ITwinSessionGrain")]
public interface ITwinSessionGrain : IGrainWithStringKey
{
    /// <summary>
    /// <c>{"desired":{...,"$version":n},"reported":{...,"$version":m}}</c>. With <paramref name="desiredSince"/>, desired
    /// holds only the top-level properties changed after that version, removed ones as null (beyond IoT Hub).
    /// </summary>
    Task<string> GetPropertiesAsync(long? desiredSince, CancellationToken cancellationToken = default);

    /// <summary>Merges a reported-properties patch (UTF-8 JSON, as the device sent it) and returns the new reported version, once stored.</summary>
    Task<long> PatchReportedAsync([Immutable] byte[] patchJson, CancellationToken cancellationToken = default);
}
