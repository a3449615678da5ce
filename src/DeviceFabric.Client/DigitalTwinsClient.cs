using System.Runtime.CompilerServices;
using DeviceFabric.DigitalTwins;
using DeviceFabric.Streams;

namespace DeviceFabric.Client;

/// <summary>
/// Digital twins of one hub, through the grain client: the operations, rules and errors of the digital twins API (Azure
/// Digital Twins' JSON bodies), device bindings, and twin events in ADT's notification shapes.
/// </summary>
public sealed class DigitalTwinsClient
{
    private readonly IClusterClient _client;
    private readonly string _hub;

    internal DigitalTwinsClient(IClusterClient client, string hub)
    {
        _client = client;
        _hub = hub;
    }

    /// <summary>Uploads a batch of DTDL interfaces (a JSON array), all or none.</summary>
    /// <exception cref="DeviceFabricServiceException">A model that does not parse (400, naming the path), or one already there (409).</exception>
    public Task<IReadOnlyList<DigitalTwinModelData>> AddModelsAsync(string modelsJson, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Models.AddAsync(modelsJson, cancellationToken));

    /// <summary>A model, with its DTDL when asked.</summary>
    public Task<DigitalTwinModelData> GetModelAsync(string modelId, bool includeDefinition = false, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Models.GetAsync(modelId, includeDefinition, cancellationToken));

    /// <summary>Every model, or those given and their dependencies.</summary>
    public Task<IReadOnlyList<DigitalTwinModelData>> ListModelsAsync(IReadOnlyList<string>? dependenciesFor = null, bool includeDefinition = false, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Models.ListAsync(dependenciesFor, includeDefinition, cancellationToken));

    /// <summary>Decommissions a model.</summary>
    public Task DecommissionModelAsync(string modelId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Models.DecommissionAsync(modelId, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>Deletes a model no model or twin uses.</summary>
    public Task DeleteModelAsync(string modelId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Models.DeleteAsync(modelId, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>A twin's JSON.</summary>
    public Task<string> GetTwinAsync(string twinId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Twin(twinId).GetAsync(cancellationToken));

    /// <summary>Creates or replaces a twin (its JSON with <c>$metadata.$model</c>); <paramref name="onlyIfNew"/> is <c>If-None-Match: *</c>.</summary>
    public Task<string> PutTwinAsync(string twinId, string twinJson, bool onlyIfNew = false, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Twin(twinId).PutAsync(twinJson, onlyIfNew, ifMatch, cancellationToken));

    /// <summary>Applies a JSON Patch to a twin (or one of its components); returns the new etag.</summary>
    public Task<string> PatchTwinAsync(string twinId, string jsonPatch, string? ifMatch = null, string? component = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Twin(twinId).PatchAsync(jsonPatch, ifMatch, component, cancellationToken));

    /// <summary>Deletes a twin without relationships.</summary>
    public Task DeleteTwinAsync(string twinId, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Twin(twinId).DeleteAsync(ifMatch, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>Creates or replaces a relationship from a twin.</summary>
    public Task<string> PutRelationshipAsync(string twinId, string relationshipId, string relationshipJson, bool onlyIfNew = false, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Twin(twinId).PutRelationshipAsync(relationshipId, relationshipJson, onlyIfNew, cancellationToken));

    /// <summary>Deletes a relationship from a twin.</summary>
    public Task DeleteRelationshipAsync(string twinId, string relationshipId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Twin(twinId).DeleteRelationshipAsync(relationshipId, null, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>A twin's relationships, optionally of one name.</summary>
    public Task<IReadOnlyList<string>> ListRelationshipsAsync(string twinId, string? relationshipName = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Twin(twinId).ListRelationshipsAsync(relationshipName, cancellationToken));

    /// <summary>Every row of a digital twins query (ADT's language), a page at a time.</summary>
    public async IAsyncEnumerable<string> QueryAsync(string query, int pageSize = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var current = token;
            var page = await DeviceFabricServiceException.TranslateAsync(() =>
                _client.GetGrain<IDigitalTwinQueryGrain>(_hub).QueryAsync(current is null ? query : null, current, pageSize, cancellationToken)).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>Devices announcing <paramref name="modelId"/> keep the twin <paramref name="twinIdPattern"/> names (<c>{deviceId}</c> in it).</summary>
    public Task<DigitalTwinBindingRule> PutBindingRuleAsync(string ruleId, string modelId, string twinIdPattern, bool createTwins = true, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Bindings.PutRuleAsync(ruleId, new DigitalTwinBindingRule(ruleId, modelId, twinIdPattern, createTwins), cancellationToken));

    /// <summary>A device keeps one twin.</summary>
    public Task BindDeviceAsync(string deviceId, string twinId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Bindings.BindDeviceAsync(deviceId, twinId, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>Calls <paramref name="handler"/> for every twin and relationship event of the hub.</summary>
    public Task<IAsyncDisposable> SubscribeAsync(Func<DigitalTwinEvent, Task> handler, CancellationToken cancellationToken = default) =>
        ClientGuards.SubscribeAsync(_client, FabricStreams.DigitalTwinsNamespace, _hub, handler, cancellationToken);

    private IDigitalTwinModelsGrain Models => _client.GetGrain<IDigitalTwinModelsGrain>(_hub);

    private IDigitalTwinBindingsGrain Bindings => _client.GetGrain<IDigitalTwinBindingsGrain>(_hub);

    private IDigitalTwinGrain Twin(string twinId) =>
        DigitalTwinKeys.IsValidId(twinId)
            ? _client.GetGrain<IDigitalTwinGrain>(DigitalTwinKeys.Key(_hub, twinId))
            : throw new ArgumentException($"A twin id is 1-{DigitalTwinKeys.MaxIdLength} characters without a slash.", nameof(twinId));
}
