using DeviceFabric.Routing;

namespace DeviceFabric.Contracts.Routing;

/// <summary>A hub's message routing, as <c>GET|PUT /routing</c> shows and takes it (IoT Hub's <c>routing</c> section).</summary>
public sealed class RoutingJson
{
    /// <summary>Custom endpoints.</summary>
    public List<RoutingEndpointJson>? Endpoints { get; set; }

    /// <summary>Routes.</summary>
    public List<RoutingRouteJson>? Routes { get; set; }

    /// <summary>Enrichments.</summary>
    public List<RoutingEnrichmentJson>? Enrichments { get; set; }

    /// <summary>IoT Hub's fallback route (device messages no route matches, to <c>events</c>); only <c>isEnabled</c> may change.</summary>
    public RoutingRouteJson? FallbackRoute { get; set; }

    /// <summary>The settings' ETag (read only).</summary>
    public string? Etag { get; set; }
}

/// <summary>A custom endpoint.</summary>
public sealed class RoutingEndpointJson
{
    /// <summary>Its name.</summary>
    public string? Name { get; set; }

    /// <summary><c>log</c>, <c>webhook</c> or <c>nats</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>The webhook's or NATS server's URL.</summary>
    public string? Url { get; set; }

    /// <summary>The NATS subject.</summary>
    public string? Subject { get; set; }
}

/// <summary>A route.</summary>
public sealed class RoutingRouteJson
{
    /// <summary>Its name.</summary>
    public string? Name { get; set; }

    /// <summary><c>DeviceMessages</c>, <c>DeviceLifecycleEvents</c>, <c>DeviceConnectionStateEvents</c>, <c>TwinChangeEvents</c> or <c>DeviceJobLifecycleEvents</c>.</summary>
    public string? Source { get; set; }

    /// <summary>The routing query; <c>true</c> when empty.</summary>
    public string? Condition { get; set; }

    /// <summary>The one endpoint it sends to.</summary>
    public List<string>? EndpointNames { get; set; }

    /// <summary>Whether it routes (default true).</summary>
    public bool? IsEnabled { get; set; }
}

/// <summary>An enrichment.</summary>
public sealed class RoutingEnrichmentJson
{
    /// <summary>The property's name.</summary>
    public string? Key { get; set; }

    /// <summary>A static value, <c>$iothubname</c> or a <c>$twin</c> path.</summary>
    public string? Value { get; set; }

    /// <summary>The endpoints whose messages get it.</summary>
    public List<string>? EndpointNames { get; set; }
}

/// <summary>Routing settings between their REST shape and the fabric's.</summary>
public static class RoutingMapper
{
    /// <summary>The REST shape.</summary>
    public static RoutingJson ToJson(RoutingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new RoutingJson
        {
            Endpoints = [.. settings.Endpoints.Select(e => new RoutingEndpointJson { Name = e.Name, Kind = e.Kind.ToString().ToLowerInvariant(), Url = e.Url, Subject = e.Subject })],
            Routes = [.. settings.Routes.Select(r => new RoutingRouteJson { Name = r.Name, Source = r.Source.ToString(), Condition = r.Condition, EndpointNames = [.. r.EndpointNames], IsEnabled = r.IsEnabled })],
            Enrichments = [.. settings.Enrichments.Select(e => new RoutingEnrichmentJson { Key = e.Key, Value = e.Value, EndpointNames = [.. e.EndpointNames] })],
            FallbackRoute = new RoutingRouteJson
            {
                Name = FallbackName,
                Source = nameof(RoutingSource.DeviceMessages),
                Condition = "true",
                EndpointNames = [BuiltInEndpoint],
                IsEnabled = settings.FallbackEnabled,
            },
            Etag = settings.ETag,
        };
    }

    /// <summary>The fabric's shape; an unknown kind or source is the caller's 400.</summary>
    public static RoutingSettings FromJson(RoutingJson json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new RoutingSettings(
            [.. (json.Endpoints ?? []).Select(e => new RoutingEndpoint(e.Name ?? string.Empty, Parse<RoutingEndpointKind>(e.Kind, "endpoint kind"), e.Url, e.Subject))],
            [.. (json.Routes ?? []).Select(r => new RoutingRoute(r.Name ?? string.Empty, Parse<RoutingSource>(r.Source, "route source"), r.Condition, [.. r.EndpointNames ?? []], r.IsEnabled ?? true))],
            [.. (json.Enrichments ?? []).Select(e => new RoutingEnrichment(e.Key ?? string.Empty, e.Value ?? string.Empty, [.. e.EndpointNames ?? []]))],
            FallbackEnabled: Fallback(json.FallbackRoute));
    }

    private const string FallbackName = "$fallback";
    private const string BuiltInEndpoint = "events";

    /// <summary>Whether the fallback route is on (default); it always reads device messages, matches all and sends to events.</summary>
    private static bool Fallback(RoutingRouteJson? route)
    {
        if (route is null)
        {
            return true;
        }

        var fixedParts = (route.Source is null || string.Equals(route.Source, nameof(RoutingSource.DeviceMessages), StringComparison.OrdinalIgnoreCase))
            && (string.IsNullOrWhiteSpace(route.Condition) || string.Equals(route.Condition.Trim(), "true", StringComparison.OrdinalIgnoreCase))
            && (route.EndpointNames is null || route.EndpointNames is [BuiltInEndpoint]);
        return fixedParts
            ? route.IsEnabled ?? true
            : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The fallback route reads DeviceMessages, its condition is true and its endpoint is events; only isEnabled can change.");
    }

    private static T Parse<T>(string? text, string what)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"Unknown {what} '{text}'.");
}
