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

    /// <summary>Sends it with <paramref name="call"/>; the refusal becomes <see cref="Error"/>, else the page reloads with <paramref name="reload"/>.</summary>
    public async Task SendAsync(Func<Task> call, Func<Task> reload)
    {
        ArgumentNullException.ThrowIfNull(reload);
        Error = await PortalError.TryAsync(call);
        if (Error is null)
        {
            await reload();
        }
    }
}
