using System.Text.RegularExpressions;
using DeviceFabric.Query;
using DeviceFabric.Telemetry;

namespace DeviceFabric.Routing;

/// <summary>
/// Checks a hub's routing settings whole before they are stored, with IoT Hub's limits: names, endpoint references,
/// URLs, and every condition parsed (a condition that does not parse is refused with its route and position).
/// </summary>
internal static partial class RoutingRules
{
    public const int MaxEndpoints = 10;
    public const int MaxRoutes = 100;
    public const int MaxEnrichments = 10;

    public static void Validate(RoutingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Check(settings.Endpoints.Count <= MaxEndpoints && settings.Routes.Count <= MaxRoutes && settings.Enrichments.Count <= MaxEnrichments,
            $"A hub has at most {MaxEndpoints} endpoints, {MaxRoutes} routes and {MaxEnrichments} enrichments.");
        var endpoints = new HashSet<string>(StringComparer.Ordinal) { TelemetryLogNames.BuiltIn };
        foreach (var endpoint in settings.Endpoints)
        {
            Check(endpoint.Name is not null && EndpointName().IsMatch(endpoint.Name) && endpoint.Name != TelemetryLogNames.BuiltIn,
                $"Endpoint name '{endpoint.Name}' must be 1-32 lower-case letters, digits or '-', and not 'events'.");
            Check(endpoints.Add(endpoint.Name!), $"Endpoint '{endpoint.Name}' is named twice.");
            switch (endpoint.Kind)
            {
                case RoutingEndpointKind.Webhook:
                    Check(Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var web) && web.Scheme is "https" or "http",
                        $"Webhook endpoint '{endpoint.Name}' needs an http or https url.");
                    break;
                case RoutingEndpointKind.Nats:
                    Check(Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var nats) && nats.Scheme is "nats" or "tls",
                        $"NATS endpoint '{endpoint.Name}' needs a nats:// url.");
                    Check(endpoint.Subject is { Length: > 0 and <= 256 } subject && !subject.Any(c => char.IsWhiteSpace(c) || c is '*' or '>'),
                        $"NATS endpoint '{endpoint.Name}' needs a subject without spaces or wildcards.");
                    break;
                case RoutingEndpointKind.Log:
                    break;
                default:
                    Check(false, $"Endpoint '{endpoint.Name}' has an unknown kind.");
                    break;
            }
        }

        var routes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in settings.Routes)
        {
            Check(route.Name is not null && RouteName().IsMatch(route.Name), $"Route name '{route.Name}' must be 1-64 letters, digits, '-' or '_'.");
            Check(routes.Add(route.Name!), $"Route '{route.Name}' is named twice.");
            Check(Enum.IsDefined(route.Source), $"Route '{route.Name}' has an unknown source.");
            Check(route.EndpointNames is { Count: 1 }, $"Route '{route.Name}' names exactly one endpoint, as IoT Hub's routes do.");
            Check(endpoints.Contains(route.EndpointNames[0]), $"Route '{route.Name}' names endpoint '{route.EndpointNames[0]}', which the hub does not have.");
            try
            {
                Compile(route.Condition);
            }
            catch (DeviceFabricException ex)
            {
                throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"Route '{route.Name}': {ex.Message}");
            }
        }

        foreach (var enrichment in settings.Enrichments)
        {
            Check(enrichment.Key is { Length: > 0 and <= 64 } && !enrichment.Key.StartsWith('$'), $"Enrichment key '{enrichment.Key}' must be 1-64 characters, not starting with '$'.");
            Check(enrichment.Value is { Length: > 0 and <= 512 }, $"Enrichment '{enrichment.Key}' needs a value of at most 512 characters.");
            Check(enrichment.Value is not ['$', ..] || enrichment.Value == "$iothubname" || enrichment.Value.StartsWith("$twin.", StringComparison.Ordinal),
                $"Enrichment '{enrichment.Key}': a value starting with '$' is $iothubname or a $twin path.");
            Check(enrichment.EndpointNames is { Count: > 0 } && enrichment.EndpointNames.All(endpoints.Contains),
                $"Enrichment '{enrichment.Key}' names endpoints the hub does not have.");
        }
    }

    /// <summary>A route's condition as an evaluator; none (always true) when it is empty or <c>true</c>.</summary>
    public static QueryExpression? Compile(string? condition) =>
        string.IsNullOrWhiteSpace(condition) || condition.Trim().Equals("true", StringComparison.OrdinalIgnoreCase) ? null : QueryParser.ParseCondition(condition);

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, message);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex EndpointName();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex RouteName();
}
