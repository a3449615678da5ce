using System.Text.Json.Nodes;
using DeviceFabric.Query;
using DeviceFabric.Telemetry;

namespace DeviceFabric.Routing;

/// <summary>
/// What the built-in endpoint shows of the device messages in the hub's log, by IoT Hub's rules: all of them while the
/// hub has no enabled device-message route; once it has, those a route to <c>events</c> matches, and those no route
/// matches while the fallback route is on. Every message is stored in the hub's log before its PUBACK either way (that
/// is what makes it durable); this decides what readers of <c>events</c> see, with the routes as they are when they read.
/// Routed non-telemetry events in the built-in log were sent there by a route, and are always shown.
/// </summary>
internal sealed class BuiltInEndpoint(IGrainFactory grains)
{
    private readonly Dictionary<string, (RoutingSettings Settings, List<(string Endpoint, QueryExpression? Condition, bool Twin)> Routes)> _hubs = new(StringComparer.Ordinal);

    /// <summary>The events of <paramref name="read"/> the built-in endpoint of <paramref name="hub"/> shows; its next position unchanged.</summary>
    public async Task<TelemetryReadResult> FilterAsync(string hub, TelemetryReadResult read)
    {
        if (read.Events.Count == 0)
        {
            return read;
        }

        var (settings, routes) = await RoutesAsync(hub);
        if (routes.Count == 0)
        {
            return read;
        }

        var kept = new List<TelemetryEvent>(read.Events.Count);
        var twins = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
        var needsTwin = routes.Any(r => r.Twin);
        foreach (var item in read.Events)
        {
            if (RoutingSources.Of(item.Message) != RoutingSource.DeviceMessages)
            {
                kept.Add(item);
                continue;
            }

            var document = RoutingDocument.Compose(item.Message, needsTwin ? await RoutingTwins.GetAsync(grains, hub, item.Message.DeviceId, twins) : null);
            var matched = false;
            var toBuiltIn = false;
            foreach (var (endpoint, condition, _) in routes)
            {
                if (condition is null || condition.IsTrue(document))
                {
                    matched = true;
                    toBuiltIn |= endpoint == TelemetryLogNames.BuiltIn;
                }
            }

            if (toBuiltIn || (!matched && settings.FallbackEnabled))
            {
                kept.Add(item);
            }
        }

        return read with { Events = kept };
    }

    /// <summary>
    /// The hub's settings, asked for at every read (one call per batch, so a change applies to the next read), and its
    /// device-message routes, parsed once per version.
    /// </summary>
    private async Task<(RoutingSettings Settings, List<(string Endpoint, QueryExpression? Condition, bool Twin)> Routes)> RoutesAsync(string hub)
    {
        var settings = await grains.GetGrain<IRoutingGrain>(hub).GetAsync();
        if (!_hubs.TryGetValue(hub, out var known) || known.Settings.ETag != settings.ETag)
        {
            known = (settings, [.. settings.Routes
                .Where(r => r.IsEnabled && r.Source == RoutingSource.DeviceMessages)
                .Select(r => (r.EndpointNames[0], RoutingRules.Compile(r.Condition), RoutingDocument.NeedsTwin(r.Condition)))]);
            _hubs[hub] = known;
        }

        return known;
    }
}
