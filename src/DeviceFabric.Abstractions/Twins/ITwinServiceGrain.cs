namespace DeviceFabric.Twins;

/// <summary>
/// The service-side facet of a device twin: tags, desired and reported properties with versions and metadata, as IoT
/// Hub's twin JSON. Key: <c>{hub}/{deviceId}</c>. Writes return only once stored; <c>If-Match</c> takes the twin's etag,
/// <c>*</c> or null.
/// </summary>
[Alias("devicefabric.ITwinServiceGrain")]
public interface ITwinServiceGrain : IGrainWithStringKey
{
    /// <summary>The whole twin, as IoT Hub's JSON.</summary>
    Task<string> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Merges <c>tags</c> and <c>properties.desired</c> from a patch (null removes); returns the new twin.</summary>
    Task<string> UpdateAsync(string patchJson, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Replaces <c>tags</c> and <c>properties.desired</c> with those of the given twin; returns the new twin.</summary>
    Task<string> ReplaceAsync(string twinJson, string? ifMatch, CancellationToken cancellationToken = default);
}
