using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceFabric.Updates;

/// <summary>
/// The identity of an update, as Device Update for IoT Hub names it: who publishes it, which class of device or
/// software it is for, and its version. The device agent reports the update it has installed as this object's JSON
/// text (the <c>installedUpdateId</c> string of the <c>deviceUpdate</c> component).
/// </summary>
/// <param name="Provider">The publisher, such as a company name: 1-64 ASCII letters, digits, dots or hyphens.</param>
/// <param name="Name">The class of update, such as a device model: 1-64 ASCII letters, digits, dots or hyphens.</param>
/// <param name="Version">Two to four numbers separated by dots, such as <c>1.0</c> or <c>2021.11.8</c>.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateId")]
public sealed record UpdateId([property: Id(0)] string Provider, [property: Id(1)] string Name, [property: Id(2)] string Version)
{
    /// <summary>
    /// The identity as compact JSON, <c>{"provider":"...","name":"...","version":"..."}</c>: the form the agent
    /// reports in <c>installedUpdateId</c> and the service writes into update manifests.
    /// </summary>
    public string ToJson() => new JsonObject
    {
        ["provider"] = Provider,
        ["name"] = Name,
        ["version"] = Version,
    }.ToJsonString();

    /// <summary>
    /// Reads an identity from its JSON text, as an agent reports it. Member names are matched without regard to case,
    /// because agents and tools differ in how they spell them; other members are ignored.
    /// </summary>
    /// <param name="json">The JSON text of an object with string members provider, name and version.</param>
    /// <param name="id">The identity read, or null when the text is not one.</param>
    /// <returns>
    /// Whether the text is a JSON object giving each of provider, name and version once, as non-empty strings. An
    /// agent that has installed nothing yet reports an empty string or null, which is not an identity.
    /// </returns>
    public static bool TryParse([NotNullWhen(true)] string? json, [NotNullWhen(true)] out UpdateId? id)
    {
        id = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            return false;
        }

        try
        {
            // An identity is flat; the depth only bounds what an unknown member may hold.
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            string? provider = null;
            string? name = null;
            string? version = null;
            foreach (var member in document.RootElement.EnumerateObject())
            {
                var taken = Is(member, "provider") ? TryTake(member, ref provider)
                    : Is(member, "name") ? TryTake(member, ref name)
                    : !Is(member, "version") || TryTake(member, ref version);
                if (!taken)
                {
                    return false;
                }
            }

            if (provider is null || name is null || version is null)
            {
                return false;
            }

            id = new UpdateId(provider, name, version);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool Is(JsonProperty member, string name) => member.Name.Equals(name, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Stores a member's text in its slot. A second spelling of the same member ("name" and "Name") is refused rather
    /// than letting one silently win, as the two could name different updates.
    /// </summary>
    private static bool TryTake(JsonProperty member, ref string? slot)
    {
        if (slot is not null || member.Value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        slot = member.Value.GetString();
        return !string.IsNullOrEmpty(slot);
    }
}
