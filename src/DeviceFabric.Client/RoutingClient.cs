using DeviceFabric.Routing;

namespace DeviceFabric.Client;

/// <summary>A hub's message routing: custom endpoints (logs, webhooks, NATS subjects), routes and enrichments.</summary>
public sealed class RoutingClient
{
    private readonly IClusterClient _client;
    private readonly string _hub;

    internal RoutingClient(IClusterClient client, string hub)
    {
        _client = client;
        _hub = hub;
    }

    /// <summary>The hub's routing settings.</summary>
    public Task<RoutingSettings> GetAsync(CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => _client.GetGrain<IRoutingGrain>(_hub).GetAsync(cancellationToken));

    /// <summary>Replaces them (If-Match <paramref name="ifMatch"/> when given); they apply to messages stored from then on.</summary>
    public Task<RoutingSettings> PutAsync(RoutingSettings settings, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => _client.GetGrain<IRoutingGrain>(_hub).PutAsync(settings, ifMatch, cancellationToken));
}
