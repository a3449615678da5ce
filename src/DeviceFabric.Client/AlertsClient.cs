using DeviceFabric.Alerts;
using DeviceFabric.Streams;

namespace DeviceFabric.Client;

/// <summary>
/// Alert rules of one hub and their firings and clearings: the same operations and rules as the REST API's
/// <c>/alerts</c>, and the live stream of events.
/// </summary>
public sealed class AlertsClient
{
    private readonly IClusterClient _client;
    private readonly string _hub;

    internal AlertsClient(IClusterClient client, string hub)
    {
        _client = client;
        _hub = hub;
    }

    /// <summary>Creates or replaces a rule; with <paramref name="ifMatch"/>, only if its etag is still that one.</summary>
    public Task<AlertRule> PutRuleAsync(AlertRule rule, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Rules.PutAsync(rule, ifMatch, cancellationToken));

    /// <summary>The hub's rules.</summary>
    public async Task<IReadOnlyList<AlertRule>> ListRulesAsync(CancellationToken cancellationToken = default) =>
        (await DeviceFabricServiceException.TranslateAsync(() => Rules.GetAsync(cancellationToken)).ConfigureAwait(false)).Rules;

    /// <summary>Deletes a rule.</summary>
    public Task DeleteRuleAsync(string id, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Rules.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>Firings and clearings after <paramref name="afterSequence"/>, oldest first.</summary>
    public Task<IReadOnlyList<AlertEvent>> ListEventsAsync(long afterSequence = 0, string? ruleId = null, string? deviceId = null, int top = 100, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => _client.GetGrain<IAlertHistoryGrain>(_hub).ListAsync(afterSequence, ruleId, deviceId, top, cancellationToken));

    /// <summary>Calls <paramref name="handler"/> for every firing and clearing of the hub from now on.</summary>
    public Task<IAsyncDisposable> SubscribeAsync(Func<AlertEvent, Task> handler, CancellationToken cancellationToken = default) =>
        ClientGuards.SubscribeAsync(_client, FabricStreams.AlertsNamespace, _hub, handler, cancellationToken);

    private IAlertRulesGrain Rules => _client.GetGrain<IAlertRulesGrain>(_hub);
}
