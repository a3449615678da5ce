namespace DeviceFabric.Routing;

/// <summary>What a route reads, as IoT Hub's routing sources.</summary>
public enum RoutingSource
{
    /// <summary>Device-to-cloud telemetry.</summary>
    DeviceMessages,

    /// <summary>Device and module identities created or deleted.</summary>
    DeviceLifecycleEvents,

    /// <summary>Devices connecting and disconnecting.</summary>
    DeviceConnectionStateEvents,

    /// <summary>Twin updates and replacements (tags, desired and reported properties).</summary>
    TwinChangeEvents,

    /// <summary>Jobs created, completed, failed or cancelled.</summary>
    DeviceJobLifecycleEvents,
}

/// <summary>Where routed messages go.</summary>
public enum RoutingEndpointKind
{
    /// <summary>A named log of the hub, read like the built-in endpoint (consumer groups, the event stream).</summary>
    Log,

    /// <summary>An HTTPS (or HTTP) POST of each message, retried, dead-lettered after the last attempt.</summary>
    Webhook,

    /// <summary>A NATS subject, each message published with its properties as headers.</summary>
    Nats,
}

/// <summary>A custom endpoint of a hub.</summary>
/// <param name="Name">Its name (1-32 lower-case letters, digits or '-'; not <c>events</c>).</param>
/// <param name="Kind">What it is.</param>
/// <param name="Url">The webhook's URL, or the NATS server's (<c>nats://host:port</c>).</param>
/// <param name="Subject">The NATS subject.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.RoutingEndpoint")]
public sealed record RoutingEndpoint(
    [property: Id(0)] string Name,
    [property: Id(1)] RoutingEndpointKind Kind,
    [property: Id(2)] string? Url = null,
    [property: Id(3)] string? Subject = null);

/// <summary>A route: messages of its source that meet its condition go to its endpoints.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Source">What it reads.</param>
/// <param name="Condition">IoT Hub's routing query (<c>true</c> when empty) over properties, <c>$</c>system properties, <c>$body</c> and <c>$twin</c>.</param>
/// <param name="EndpointNames">Where matching messages go (<c>events</c> is the built-in endpoint).</param>
/// <param name="IsEnabled">Whether it routes.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.RoutingRoute")]
public sealed record RoutingRoute(
    [property: Id(0)] string Name,
    [property: Id(1)] RoutingSource Source,
    [property: Id(2)] string? Condition,
    [property: Id(3)] IReadOnlyList<string> EndpointNames,
    [property: Id(4)] bool IsEnabled = true);

/// <summary>A property added to each message sent to its endpoints: a static value or a <c>$twin</c> path's value.</summary>
/// <param name="Key">The application property's name.</param>
/// <param name="Value">A static value, <c>$iothubname</c>, or <c>$twin.tags.x</c> / <c>$twin.properties.desired.x</c> / <c>$twin.properties.reported.x</c>.</param>
/// <param name="EndpointNames">The endpoints whose messages get it.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.RoutingEnrichment")]
public sealed record RoutingEnrichment(
    [property: Id(0)] string Key,
    [property: Id(1)] string Value,
    [property: Id(2)] IReadOnlyList<string> EndpointNames);

/// <summary>A hub's message routing, as IoT Hub's <c>routing</c> section.</summary>
/// <param name="Endpoints">The custom endpoints.</param>
/// <param name="Routes">The routes.</param>
/// <param name="Enrichments">The enrichments.</param>
/// <param name="ETag">Changes with every write.</param>
/// <param name="FallbackEnabled">
/// IoT Hub's fallback route: device messages no enabled route matches go to the built-in endpoint. Once a hub has
/// device-message routes, the built-in endpoint gets what its routes (a route to <c>events</c>) and this send it.
/// </param>
[GenerateSerializer, Immutable, Alias("devicefabric.RoutingSettings")]
public sealed record RoutingSettings(
    [property: Id(0)] IReadOnlyList<RoutingEndpoint> Endpoints,
    [property: Id(1)] IReadOnlyList<RoutingRoute> Routes,
    [property: Id(2)] IReadOnlyList<RoutingEnrichment> Enrichments,
    [property: Id(3)] string ETag = "",
    [property: Id(4)] bool FallbackEnabled = true)
{
    /// <summary>No endpoints, routes or enrichments.</summary>
    public static RoutingSettings Empty { get; } = new([], [], []);
}
