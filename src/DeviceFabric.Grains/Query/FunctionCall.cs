using System.Text.Json.Nodes;

namespace DeviceFabric.Query;

/// <summary>IS_DEFINED, the type checks and the string functions.</summary>
internal sealed record FunctionCall(string Name, Operand Argument, string? Text) : QueryExpression
{
    public override bool IsTrue(JsonObject document)
    {
        var value = Argument.Resolve(document);
        return Name switch
        {
            "IS_DEFINED" => value is not QueryValues.Undefined,
            "IS_NULL" => value is null,
            "IS_BOOL" => QueryValues.Kind(value) is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
            "IS_NUMBER" => QueryValues.Kind(value) == System.Text.Json.JsonValueKind.Number,
            "IS_STRING" => QueryValues.Kind(value) == System.Text.Json.JsonValueKind.String,
            "IS_OBJECT" => value is JsonObject,
            "IS_ARRAY" => value is JsonArray,
            "IS_PRIMITIVE" => value is null || value is JsonValue,
            "STARTSWITH" => QueryValues.Text(value) is { } s && s.StartsWith(Text!, StringComparison.Ordinal),
            "ENDSWITH" => QueryValues.Text(value) is { } s2 && s2.EndsWith(Text!, StringComparison.Ordinal),
            "CONTAINS" => QueryValues.Text(value) is { } s3 && s3.Contains(Text!, StringComparison.Ordinal),
            _ => false,
        };
    }
}
