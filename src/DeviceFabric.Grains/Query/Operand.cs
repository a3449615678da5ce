using System.Text.Json.Nodes;

namespace DeviceFabric.Query;

/// <summary>A path into the twin document or a constant.</summary>
internal sealed record Operand(IReadOnlyList<string>? Path, JsonNode? Constant)
{
    public object? Resolve(JsonObject document) => Path is null ? Constant : QueryValues.Resolve(document, Path);
}
