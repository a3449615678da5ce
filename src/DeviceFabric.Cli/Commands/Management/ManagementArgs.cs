using System.CommandLine;
using System.Text.Json.Nodes;
using DeviceFabric.RestClient;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// What the management commands share: how options are declared, ids made into path segments, JSON options read, and
/// pages of a list gathered. Each command makes its own option objects (a symbol belongs to one command).
/// </summary>
internal static class ManagementArgs
{
    /// <summary>A required string option.</summary>
    public static Option<string> Required(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, Required = true };

    /// <summary>An optional string option.</summary>
    public static Option<string?> Optional(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description };

    /// <summary>An optional option of any type (numbers, booleans, enums).</summary>
    public static Option<T?> Optional<T>(string name, string description, params string[] aliases)
        where T : struct =>
        new(name, aliases) { Description = description };

    /// <summary>An option taking several values, space separated or repeated (<c>--iot-hubs a b</c>).</summary>
    public static Option<string[]> Many(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };

    /// <summary>The <c>--etag</c> option of a change or a delete (any version when left out).</summary>
    public static Option<string?> ETag() => Optional("--etag", "The ETag the change applies to; left out, any version (If-Match: *).", "-e");

    /// <summary>An id as one path segment (ids may hold characters a path may not: <c>$edgeAgent</c>, <c>dtmi:a:b;1</c>).</summary>
    public static string Segment(string id) => Uri.EscapeDataString(id);

    /// <summary>
    /// The labels of <c>--labels</c>: a JSON object of strings (as <c>az</c> takes them), <c>@file</c>, or
    /// <c>key=value</c> pairs separated by commas.
    /// </summary>
    public static JsonObject Labels(string text)
    {
        if (text.TrimStart().StartsWith('{') || text.StartsWith('@'))
        {
            return CliJson.Parse(text, "--labels") as JsonObject ?? throw new CliUsageException("--labels must be a JSON object of strings.");
        }

        var labels = new JsonObject();
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliUsageException($"--labels: '{pair}' is not key=value.");
            }

            labels[pair[..equals]] = pair[(equals + 1)..];
        }

        return labels;
    }

    /// <summary>A JSON option that must be an object.</summary>
    public static JsonObject Object(string text, string what) =>
        CliJson.Parse(text, what) as JsonObject ?? throw new CliUsageException($"{what} must be a JSON object.");

    /// <summary>
    /// Every item of a paged list (DPS's queries: a JSON array per page, the next page named by
    /// <c>x-ms-continuation</c>), up to <paramref name="top"/> items.
    /// </summary>
    public static async Task<JsonArray> AllPagesAsync(FabricRestClient client, string path, JsonNode body, int? top, CancellationToken cancellationToken)
    {
        var items = new JsonArray();
        string? continuation = null;
        do
        {
            var page = await client.SendAsync(HttpMethod.Post, path, body.DeepClone(), new RestRequestOptions { ContinuationToken = continuation, MaxItemCount = top }, cancellationToken)
                .ConfigureAwait(false);
            foreach (var item in page.Body as JsonArray ?? [])
            {
                if (top is { } limit && items.Count >= limit)
                {
                    return items;
                }

                items.Add(item?.DeepClone());
            }

            continuation = page.ContinuationToken;
        }
        while (continuation is not null);
        return items;
    }

    /// <summary>The <c>value</c> array of Device Update's and Azure Digital Twins' lists.</summary>
    public static JsonArray Value(JsonNode? list) => list?["value"] is JsonArray value ? (JsonArray)value.DeepClone() : [];

    /// <summary>Writes a result in the session's format.</summary>
    public static int Print(CliSession session, JsonNode? result, params CliColumn[] columns)
    {
        session.Console.Write(result, session.Format, columns);
        return 0;
    }
}
