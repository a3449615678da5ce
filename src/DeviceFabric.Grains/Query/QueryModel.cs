using System.Text.Json.Nodes;

namespace DeviceFabric.Query;

/// <summary>A parsed IoT Hub query: <c>SELECT [TOP n] * | fields | COUNT() FROM collection [WHERE ...] [GROUP BY path]</c>.</summary>
internal sealed record DeviceQuery(
    IReadOnlyList<SelectItem>? Select,
    string Collection,
    QueryExpression? Where,
    IReadOnlyList<string>? GroupBy,
    int? Top)
{
    /// <summary>True when the query is <c>SELECT *</c>.</summary>
    public bool SelectsAll => Select is null;

    /// <summary>Whether a twin document satisfies the WHERE clause (no clause matches everything).</summary>
    public bool Matches(JsonObject document) => Where is null || Where.IsTrue(document);
}

/// <summary>
/// One projection of the SELECT list: a path, or an aggregate (<c>COUNT()</c> without a path; <c>SUM</c>, <c>AVG</c>,
/// <c>MIN</c>, <c>MAX</c> of a path's numbers).
/// </summary>
internal sealed record SelectItem(IReadOnlyList<string>? Path, string Alias, string? Aggregate = null)
{
    public bool IsAggregate => Aggregate is not null;
}

/// <summary>A node of a WHERE clause.</summary>
internal abstract record QueryExpression
{
    public abstract bool IsTrue(JsonObject document);
}

internal sealed record OrExpression(QueryExpression Left, QueryExpression Right) : QueryExpression
{
    public override bool IsTrue(JsonObject document) => Left.IsTrue(document) || Right.IsTrue(document);
}

internal sealed record AndExpression(QueryExpression Left, QueryExpression Right) : QueryExpression
{
    public override bool IsTrue(JsonObject document) => Left.IsTrue(document) && Right.IsTrue(document);
}

internal sealed record NotExpression(QueryExpression Inner) : QueryExpression
{
    public override bool IsTrue(JsonObject document) => !Inner.IsTrue(document);
}

/// <summary>A comparison between two operands (paths or constants); only primitives of the same type compare.</summary>
internal sealed record Comparison(Operand Left, string Operator, Operand Right) : QueryExpression
{
    public override bool IsTrue(JsonObject document) =>
        QueryValues.Compare(Left.Resolve(document), Right.Resolve(document)) is { } order && Operator switch
        {
            "=" => order == 0,
            "!=" or "<>" => order != 0,
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            ">=" => order >= 0,
            _ => false,
        };
}

/// <summary><c>path IN [..]</c> or <c>path NIN [..]</c>.</summary>
internal sealed record InList(Operand Value, IReadOnlyList<JsonNode?> Candidates, bool Negated) : QueryExpression
{
    public override bool IsTrue(JsonObject document)
    {
        var value = Value.Resolve(document);
        if (value is QueryValues.Undefined)
        {
            return false;
        }

        var found = Candidates.Any(c => QueryValues.Compare(value, c) == 0);
        return Negated ? !found : found;
    }
}

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

/// <summary>A path into the twin document or a constant.</summary>
internal sealed record Operand(IReadOnlyList<string>? Path, JsonNode? Constant)
{
    public object? Resolve(JsonObject document) => Path is null ? Constant : QueryValues.Resolve(document, Path);
}
