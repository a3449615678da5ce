using System.Text.Json.Nodes;
using DeviceFabric.RestClient;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary>Paging through <c>x-ms-continuation</c>, and keeping keys out of what commands print.</summary>
internal static class HubResults
{
    /// <summary>
    /// Fetches pages (<paramref name="fetch"/> gets the continuation token and the page size) until there are no more,
    /// or <paramref name="top"/> items are in hand.
    /// </summary>
    public static async Task<JsonArray> CollectAsync(Func<string?, int, Task<RestResponse>> fetch, int? top, int maxPageSize)
    {
        if (top is < 1)
        {
            throw new CliUsageException("--top must be at least 1.");
        }

        var items = new JsonArray();
        string? continuation = null;
        do
        {
            var page = await fetch(continuation, Math.Min(maxPageSize, (top ?? int.MaxValue) - items.Count)).ConfigureAwait(false);
            foreach (var item in page.Body as JsonArray ?? [])
            {
                if (items.Count < (top ?? int.MaxValue))
                {
                    items.Add(item?.DeepClone());
                }
            }

            continuation = page.ContinuationToken;
        }
        while (continuation is not null && items.Count < (top ?? int.MaxValue));
        return items;
    }

    /// <summary>The array of an Azure-style <c>{"value":[...]}</c> list.</summary>
    public static JsonArray Values(JsonNode? list) => list?["value"] is JsonArray values ? (JsonArray)values.DeepClone() : [];

    /// <summary>
    /// A device or module (or an array of them) without its symmetric keys: they are secrets, printed only by the
    /// commands whose purpose is to print one (<c>connection-string show</c>, <c>generate-sas-token</c>).
    /// </summary>
    public static JsonNode? WithoutKeys(JsonNode? identity)
    {
        switch (identity)
        {
            case JsonArray items:
                foreach (var item in items)
                {
                    WithoutKeys(item);
                }

                break;
            case JsonObject device when device["authentication"] is JsonObject authentication:
                authentication.Remove("symmetricKey");
                break;
        }

        return identity;
    }

    /// <summary>A policy (or an array of them) without its keys.</summary>
    public static JsonNode? WithoutPolicyKeys(JsonNode? policy)
    {
        switch (policy)
        {
            case JsonArray items:
                foreach (var item in items)
                {
                    WithoutPolicyKeys(item);
                }

                break;
            case JsonObject one:
                one.Remove("primaryKey");
                one.Remove("secondaryKey");
                break;
        }

        return policy;
    }

    /// <summary>Reads <c>key=value;key=value</c> (as <c>az</c>'s <c>--props</c>).</summary>
    public static Dictionary<string, string> Properties(string? text, string what)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (text ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliUsageException($"{what}: '{pair}' is not name=value.");
            }

            properties[pair[..equals]] = pair[(equals + 1)..];
        }

        return properties;
    }
}
