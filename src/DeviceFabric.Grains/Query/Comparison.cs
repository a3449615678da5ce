using System.Text.Json.Nodes;

namespace DeviceFabric.Query;

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
