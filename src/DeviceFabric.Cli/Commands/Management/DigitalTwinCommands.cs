using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.RestClient;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// <c>dt</c>: the Azure Digital Twins data plane on the node's own listener (<c>digitalTwins</c> of endpoints.json),
/// with the hub's token as a bearer token: models, twins, relationships, queries and device bindings.
/// </summary>
internal static class DigitalTwinCommands
{
    public static Command Group() => CliCommand.Group("dt", "Digital twins (Azure Digital Twins' API): models, twins, relationships, queries, device bindings.",
        DigitalTwinModelCommands.Group(), DigitalTwinTwinCommands.Group(), DigitalTwinBindingCommands.Group());

    /// <summary>Sends a JSON Patch (<c>application/json-patch+json</c>); one operation object is taken as a list of one.</summary>
    public static async Task<RestResponse> PatchAsync(CliSession session, string path, string patchText, string? etag, CancellationToken ct)
    {
        var patch = CliJson.Parse(patchText, "--json-patch");
        var operations = patch is JsonArray ? patch : new JsonArray(patch.DeepClone());
        using var content = new StringContent(operations.ToJsonString(), Encoding.UTF8, "application/json-patch+json");
        return await session.DigitalTwins.SendContentAsync(HttpMethod.Patch, path, content, new RestRequestOptions { IfMatch = IfMatch(etag) }, ct).ConfigureAwait(false);
    }

    /// <summary>The path of a twin.</summary>
    public static string TwinPath(string twinId) => "/digitaltwins/" + ManagementArgs.Segment(twinId);

    /// <summary>The <c>--dt-id</c> option naming a twin.</summary>
    public static Option<string> TwinId() => ManagementArgs.Required("--dt-id", "The digital twin's id.", "--twin-id", "-n");

    /// <summary>The <c>--etag</c> of a twin or relationship change (ADT's ETag as shown, <c>W/"..."</c>).</summary>
    public static Option<string?> ETag() => ManagementArgs.Optional("--etag", "The ETag the change applies to (W/\"...\" as shown); left out, any version.", "-e");

    /// <summary>
    /// The If-Match of an ETag as ADT shows it: the weak <c>W/</c> prefix dropped, since the REST client quotes what
    /// is not quoted already and the API compares the opaque part.
    /// </summary>
    public static string? IfMatch(string? etag) => etag is { } tag && tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : etag;
}
