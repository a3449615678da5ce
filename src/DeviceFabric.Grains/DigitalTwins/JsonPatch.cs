using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// JSON Patch (RFC 6902) as Azure Digital Twins takes it: <c>add</c>, <c>replace</c> and <c>remove</c> only, paths as
/// JSON Pointers (RFC 6901). Applied to a copy; any operation that cannot apply refuses the whole patch.
/// </summary>
internal static class JsonPatch
{
    public const int MaxOperations = 1000;

    /// <summary>One operation: its verb, its path split into tokens, and its value for add and replace.</summary>
    public sealed record Operation(string Op, IReadOnlyList<string> Path, JsonNode? Value);

    public static IReadOnlyList<Operation> Parse(string patchJson)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(patchJson, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            throw Invalid($"The patch is not JSON: {ex.Message}");
        }

        if (root is not JsonArray operations || operations.Count > MaxOperations)
        {
            throw Invalid($"A JSON Patch is an array of at most {MaxOperations} operations.");
        }

        var parsed = new List<Operation>();
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject operation || Text(operation["op"]) is not { } op || Text(operation["path"]) is not { } path)
            {
                throw Invalid($"[{i}]: an operation has an op and a path.");
            }

            if (op is not ("add" or "replace" or "remove"))
            {
                throw Invalid($"[{i}].op: {op} is not supported; use add, replace or remove.");
            }

            if (op != "remove" && !operation.ContainsKey("value"))
            {
                throw Invalid($"[{i}]: {op} needs a value.");
            }

            parsed.Add(new Operation(op, Pointer(path, i), operation["value"]?.DeepClone()));
        }

        return parsed;
    }

    /// <summary>Applies the operations to <paramref name="target"/> in order (in place: pass a copy).</summary>
    public static void Apply(JsonObject target, IReadOnlyList<Operation> operations)
    {
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            if (operation.Path.Count == 0)
            {
                throw Invalid($"[{i}].path: the whole document cannot be patched.");
            }

            var parent = Parent(target, operation.Path, i);
            var key = operation.Path[^1];
            if (parent is JsonArray array)
            {
                ApplyToArray(array, key, operation, i);
                continue;
            }

            var members = (JsonObject)parent;
            switch (operation.Op)
            {
                case "add":
                    members[key] = operation.Value?.DeepClone();
                    break;
                case "replace" when members.ContainsKey(key):
                    members[key] = operation.Value?.DeepClone();
                    break;
                case "remove" when members.ContainsKey(key):
                    members.Remove(key);
                    break;
                default:
                    throw Invalid($"[{i}].path: /{string.Join('/', operation.Path)} does not exist, so it cannot be {operation.Op}d.");
            }
        }
    }

    /// <summary>An element of an array: <c>-</c> appends (add), an index inserts (add), replaces or removes.</summary>
    private static void ApplyToArray(JsonArray array, string token, Operation operation, int index)
    {
        if (token == "-" && operation.Op == "add")
        {
            array.Add(operation.Value?.DeepClone());
            return;
        }

        if (!int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var at)
            || at < 0 || at > array.Count || (at == array.Count && operation.Op != "add"))
        {
            throw Invalid($"[{index}].path: {token} is not an index of the array.");
        }

        switch (operation.Op)
        {
            case "add":
                array.Insert(at, operation.Value?.DeepClone());
                break;
            case "replace":
                array[at] = operation.Value?.DeepClone();
                break;
            default:
                array.RemoveAt(at);
                break;
        }
    }

    private static JsonNode Parent(JsonObject root, IReadOnlyList<string> path, int index)
    {
        JsonNode node = root;
        for (var i = 0; i < path.Count - 1; i++)
        {
            JsonNode? next = node switch
            {
                JsonObject o => o[path[i]],
                JsonArray a when int.TryParse(path[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var at) && at < a.Count => a[at],
                _ => null,
            };
            node = next is JsonObject or JsonArray ? next
                : throw Invalid($"[{index}].path: /{string.Join('/', path.Take(i + 1))} is not an object or array.");
        }

        return node;
    }

    private static List<string> Pointer(string path, int index)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw Invalid($"[{index}].path: a JSON Pointer starts with '/'.");
        }

        return [.. path[1..].Split('/').Select(token => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.JsonPatchInvalid, "JSON Patch " + message);
}
