using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DeviceFabric.Twins;

namespace DeviceFabric.Configurations;

/// <summary>The <c>$edgeHub</c> half of the manifest rules: EdgeHub's schema versions, its routes and store-and-forward.</summary>
internal static partial class EdgeManifestRules
{
    /// <summary>EdgeHub's latest schema (1.3 added manifest integrity); it compares versions as System.Version does.</summary>
    private static readonly Version s_latestEdgeHubSchema = new(1, 3, 0);

    /// <summary>The first EdgeHub schema whose routes may be objects with a priority and a time to live.</summary>
    private static readonly Version s_routeObjectSchema = new(1, 1);

    /// <summary>EdgeHub's desired properties: a schema version it reads, routes, and the store-and-forward time to live.</summary>
    private static void ValidateEdgeHub(JsonObject desired, string path)
    {
        var schemaPath = Child(path, "schemaVersion");
        if (!Version.TryParse(AsString(desired["schemaVersion"]), out var schema) || schema.Major != 1 || schema > s_latestEdgeHubSchema)
        {
            throw Invalid($"{schemaPath} must be an EdgeHub schema version: 1.0, 1.1, 1.2 or 1.3.");
        }

        var routesPath = Child(path, "routes");
        foreach (var (name, route) in RequireObject(desired["routes"], routesPath, "an object of routes (it may be empty)"))
        {
            if (name.Length == 0)
            {
                throw Invalid($"{routesPath} has a route with an empty name.");
            }

            ValidateRoute(route, Child(routesPath, name), schema);
        }

        var storePath = Child(path, "storeAndForwardConfiguration");
        var store = RequireObject(desired["storeAndForwardConfiguration"], storePath, "an object with timeToLiveSecs");
        if (!TryGetInteger(store["timeToLiveSecs"], out var ttl) || ttl is < 0 or > int.MaxValue)
        {
            throw Invalid($"{Child(storePath, "timeToLiveSecs")} must be a whole number of seconds, 0 or more.");
        }
    }

    /// <summary>A route: its text, or from schema 1.1 an object giving the text with a priority and a time to live.</summary>
    private static void ValidateRoute(JsonNode? value, string path, Version schema)
    {
        if (value is not JsonObject spec)
        {
            var text = AsString(value) ?? throw Invalid($"{path} must be a route string or an object with route, priority and timeToLiveSecs.");
            ValidateRouteText(text, path);
            return;
        }

        if (schema < s_routeObjectSchema)
        {
            throw Invalid($"{path} is an object, which needs schemaVersion 1.1 or later: give the route as a string.");
        }

        var routePath = Child(path, "route");
        ValidateRouteText(AsString(spec["route"]) ?? throw Expected(spec["route"], routePath, "a route string"), routePath);
        if (spec["priority"] is { } priority && (!TryGetInteger(priority, out var level) || level is < 0 or > 9))
        {
            throw Invalid($"{Child(path, "priority")} must be a whole number from 0 (highest) to 9.");
        }

        if (spec["timeToLiveSecs"] is { } ttl && (!TryGetInteger(ttl, out var seconds) || seconds is < 0 or > int.MaxValue))
        {
            throw Invalid($"{Child(path, "timeToLiveSecs")} must be a whole number of seconds, 0 or more (0 keeps the hub's own).");
        }
    }

    /// <summary>
    /// The route grammar: <c>FROM source [WHERE condition] INTO sink</c>. The condition is IoT Hub's routing query
    /// language, which EdgeHub evaluates per message; it is kept as given, as a wrong one only matches nothing.
    /// </summary>
    private static void ValidateRouteText(string text, string path)
    {
        // Routes land in the $edgeHub twin, where a string is at most this long; the cap also bounds the matching below.
        if (text.Length > TwinRules.MaxStringChars)
        {
            throw Invalid($"{path} is longer than {TwinRules.MaxStringChars} characters.");
        }

        var match = RoutePattern().Match(text);
        if (!match.Success)
        {
            throw Invalid($"{path} must read FROM <source> [WHERE <condition>] INTO <sink>.");
        }

        if (!SourcePattern().IsMatch(match.Groups["source"].Value))
        {
            throw Invalid($"{path} has an unknown source: use /*, /twinChangeNotifications, /messages/*, /messages/modules/*, "
                + "/messages/modules/<module>/*, /messages/modules/<module>/outputs/* or /messages/modules/<module>/outputs/<output>.");
        }

        if (!SinkPattern().IsMatch(match.Groups["sink"].Value))
        {
            throw Invalid($"{path} has an unknown sink: use $upstream or BrokeredEndpoint(\"/modules/<module>/inputs/<input>\").");
        }
    }

    /// <summary>
    /// <c>FROM source [WHERE condition] INTO sink</c>, keywords in any case. The greedy condition ends at the last
    /// <c>INTO</c>, so a condition may itself hold the word (in a string literal).
    /// </summary>
    [GeneratedRegex(@"^\s*(?i:FROM)\s+(?<source>\S+)(?:\s+(?i:WHERE)\s+(?<condition>.+))?\s+(?i:INTO)\s+(?<sink>.+?)\s*$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex RoutePattern();

    /// <summary>EdgeHub's message sources: everything, twin change notifications, or messages narrowed by module and output.</summary>
    [GeneratedRegex(@"^/(?:\*|twinChangeNotifications|messages/(?:\*|modules/(?:\*|[^/\s]+/(?:\*|outputs/(?:\*|[^/\s]+)))))$", RegexOptions.CultureInvariant)]
    private static partial Regex SourcePattern();

    /// <summary>EdgeHub's sinks: IoT Hub, or a module's input (the endpoint's name in any case, its path exact).</summary>
    [GeneratedRegex(@"^(?:(?i:\$upstream)|(?i:BrokeredEndpoint)\s*\(\s*""/modules/[^/""\s]+/inputs/[^/""\s]+""\s*\))$", RegexOptions.CultureInvariant)]
    private static partial Regex SinkPattern();
}
