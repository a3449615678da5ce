namespace DeviceFabric.DigitalTwins;

/// <summary>
/// One digital twin: its properties and components, validated against its model, and its outgoing relationships; it
/// also knows the relationships that point at it. Key: <c>{hub}/{twinId}</c> (<see cref="DigitalTwinKeys"/>). Bodies
/// are Azure Digital Twins' JSON (<c>$dtId</c>, <c>$etag</c>, <c>$metadata</c>).
/// </summary>
[Alias("devicefabric.IDigitalTwinGrain")]
public interface IDigitalTwinGrain : IGrainWithStringKey
{
    /// <summary>The twin; fails with <see cref="DeviceFabricErrorCode.DigitalTwinNotFound"/>.</summary>
    Task<string> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the twin; <paramref name="ifNoneMatchAny"/> refuses to replace one (412).</summary>
    Task<string> PutAsync(string twinJson, bool ifNoneMatchAny, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Applies a JSON Patch (add, replace, remove); the result must still match the model. Returns the new etag.</summary>
    Task<string> PatchAsync(string jsonPatch, string? ifMatch, string? componentName, CancellationToken cancellationToken = default);

    /// <summary>Deletes the twin; refused while it has relationships, either way (<see cref="DeviceFabricErrorCode.RelationshipsNotDeleted"/>).</summary>
    Task DeleteAsync(string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>A component of the twin, with its metadata; fails with <see cref="DeviceFabricErrorCode.ComponentNotFound"/>.</summary>
    Task<string> GetComponentAsync(string componentName, CancellationToken cancellationToken = default);

    /// <summary>A relationship from this twin; fails with <see cref="DeviceFabricErrorCode.RelationshipNotFound"/>.</summary>
    Task<string> GetRelationshipAsync(string relationshipId, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a relationship from this twin, validated against its model and its target's.</summary>
    Task<string> PutRelationshipAsync(string relationshipId, string relationshipJson, bool ifNoneMatchAny, CancellationToken cancellationToken = default);

    /// <summary>Applies a JSON Patch to a relationship's properties (its <c>$</c> members are fixed); returns the new etag.</summary>
    Task<string> PatchRelationshipAsync(string relationshipId, string jsonPatch, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Deletes a relationship from this twin.</summary>
    Task DeleteRelationshipAsync(string relationshipId, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>The twin's relationships, optionally of one name.</summary>
    Task<IReadOnlyList<string>> ListRelationshipsAsync(string? relationshipName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Invokes a command of the twin's model (of a component, when named) as a direct method on the device bound to the
    /// twin (<c>{component}*{command}</c> for a component, as Plug and Play names it). Fails with
    /// <see cref="DeviceFabricErrorCode.ArgumentInvalid"/> for a command the model lacks or a twin no device keeps.
    /// </summary>
    Task<Methods.DirectMethodResult> InvokeCommandAsync(string command, string? component, string payloadJson, TimeSpan responseTimeout, TimeSpan connectTimeout, CancellationToken cancellationToken = default);

    /// <summary>The relationships that point at this twin (<c>$relationshipId</c>, <c>$sourceId</c>, <c>$relationshipName</c>, <c>$relationshipLink</c>).</summary>
    Task<IReadOnlyList<string>> ListIncomingRelationshipsAsync(CancellationToken cancellationToken = default);
}

/// <summary>Keys and ids of digital twins.</summary>
public static class DigitalTwinKeys
{
    /// <summary>The most characters of a twin or relationship id.</summary>
    public const int MaxIdLength = 128;

    /// <summary>The key of a twin's grain.</summary>
    public static string Key(string hub, string twinId) => $"{hub}/{twinId}";

    /// <summary>The hub and twin id of a grain key.</summary>
    public static (string Hub, string TwinId) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>Whether an id is usable for a twin or relationship: 1-128 printable characters, no slash.</summary>
    public static bool IsValidId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxIdLength && !id.Any(c => char.IsControl(c) || c is '/' or '\\');
}
