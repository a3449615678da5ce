using DeviceFabric.Configurations;
using DeviceFabric.Streams;

namespace DeviceFabric.Client;

/// <summary>
/// Automatic device configurations and IoT Edge deployments of one hub: the same operations, rules and errors as the
/// REST API's <c>/configurations</c>, plus their events (changes and counts).
/// </summary>
public sealed class ConfigurationsClient
{
    private readonly IClusterClient _client;
    private readonly string _hub;

    internal ConfigurationsClient(IClusterClient client, string hub)
    {
        _client = client;
        _hub = hub;
    }

    /// <summary>Creates a configuration; its twins are brought in step within seconds.</summary>
    /// <exception cref="DeviceFabricServiceException">Invalid (400, naming the field), already exists (409), too many (413).</exception>
    public Task<ConfigurationDefinition> CreateAsync(string id, ConfigurationSettings settings, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Grain.PutAsync(id, settings, ifMatch: null, cancellationToken));

    /// <summary>Updates a configuration's target condition, priority, labels and metrics; <paramref name="ifMatch"/> is its etag or <c>*</c>.</summary>
    public Task<ConfigurationDefinition> UpdateAsync(string id, ConfigurationSettings settings, string ifMatch = "*", CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Grain.PutAsync(id, settings, ifMatch, cancellationToken));

    /// <summary>A configuration with its counts.</summary>
    public Task<ConfigurationDefinition> GetAsync(string id, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Grain.GetAsync(id, cancellationToken));

    /// <summary>The hub's configurations, by id.</summary>
    public Task<IReadOnlyList<ConfigurationDefinition>> ListAsync(int top = IConfigurationsGrain.MaxConfigurations, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Grain.ListAsync(top, cancellationToken));

    /// <summary>Deletes a configuration; with <paramref name="ifMatch"/>, only if its etag is still that one.</summary>
    public Task DeleteAsync(string id, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Grain.DeleteAsync(id, ifMatch, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>Checks a target condition and metric queries; each error is in the answer, empty when valid.</summary>
    public Task<ConfigurationQueryErrors> TestQueriesAsync(string? targetCondition, IReadOnlyDictionary<string, string>? metricQueries = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Grain.TestQueriesAsync(targetCondition, metricQueries ?? new Dictionary<string, string>(), cancellationToken));

    /// <summary>Writes an IoT Edge manifest straight into one edge device's module twins (<c>applyConfigurationContent</c>).</summary>
    public Task ApplyToDeviceAsync(string deviceId, ConfigurationContent content, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Grain.ApplyToDeviceAsync(deviceId, content, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>Calls <paramref name="handler"/> for every configuration change and count change of the hub.</summary>
    public Task<IAsyncDisposable> SubscribeAsync(Func<ConfigurationEvent, Task> handler, CancellationToken cancellationToken = default) =>
        ClientGuards.SubscribeAsync(_client, FabricStreams.ConfigurationsNamespace, _hub, handler, cancellationToken);

    private IConfigurationsGrain Grain => _client.GetGrain<IConfigurationsGrain>(_hub);
}
