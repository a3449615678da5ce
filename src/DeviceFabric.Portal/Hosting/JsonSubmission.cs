using System.Text.Json.Nodes;

namespace DeviceFabric.Portal.Hosting;

/// <summary>
/// What a <c>JsonResourceForm</c> hands its page: the id and the parsed JSON; the page sets <see cref="Error"/> when the
/// node refuses. An event callback rather than a delegate, so the page renders again once it has handled it.
/// </summary>
public sealed class JsonSubmission(string id, JsonNode body)
{
    /// <summary>The id typed, empty when the form has no id field.</summary>
    public string Id { get; } = id;

    /// <summary>The JSON typed, parsed.</summary>
    public JsonNode Body { get; } = body;

    /// <summary>The refusal to show, or null when the node took it.</summary>
    public PortalError? Error { get; set; }
}
