using System.Text.Json.Nodes;
using DeviceFabric.Streams;
using DeviceFabric.Twins;

namespace DeviceFabric.Client;

/// <summary>Device twins of one hub: the same operations, rules and errors as the REST API's <c>/twins/{id}</c>, plus change events.</summary>
public sealed class TwinsClient
{
    private readonly IClusterClient _client;
    private readonly string _hub;

    internal TwinsClient(IClusterClient client, string hub)
    {
        _client = client;
        _hub = hub;
    }

    /// <summary>The whole twin in IoT Hub's JSON shape.</summary>
    /// <exception cref="DeviceFabricServiceException">The device does not exist.</exception>
    public Task<JsonObject> GetAsync(string deviceId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () => Parse(await Twin(deviceId).GetAsync(cancellationToken).ConfigureAwait(false)));

    /// <summary>Merges <c>tags</c> and <c>properties.desired</c> (null removes); with <paramref name="ifMatch"/>, only if the twin's etag is still that one.</summary>
    /// <exception cref="DeviceFabricServiceException">Bad patch (400), too large (413), stale etag (412), unknown device (404).</exception>
    public Task<JsonObject> UpdateAsync(string deviceId, JsonObject patch, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return DeviceFabricServiceException.TranslateAsync(async () =>
            Parse(await Twin(deviceId).UpdateAsync(patch.ToJsonString(), ifMatch, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Replaces <c>tags</c> and <c>properties.desired</c> with those of <paramref name="twin"/>.</summary>
    public Task<JsonObject> ReplaceAsync(string deviceId, JsonObject twin, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(twin);
        return DeviceFabricServiceException.TranslateAsync(async () =>
            Parse(await Twin(deviceId).ReplaceAsync(twin.ToJsonString(), ifMatch, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Calls <paramref name="handler"/> for every twin change of the hub (desired and tags by the service, reported by devices).</summary>
    public Task<IAsyncDisposable> SubscribeChangesAsync(Func<TwinChangeEvent, Task> handler, CancellationToken cancellationToken = default) =>
        ClientGuards.SubscribeAsync(_client, FabricStreams.TwinChangesNamespace, _hub, handler, cancellationToken);

    private ITwinServiceGrain Twin(string deviceId) => _client.GetGrain<ITwinServiceGrain>(ClientGuards.DeviceKeyOf(_hub, deviceId));

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
