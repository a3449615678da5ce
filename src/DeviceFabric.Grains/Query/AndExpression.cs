using System.Text.Json.Nodes;

namespace DeviceFabric.Query;

internal sealed record AndExpression(QueryExpression Left, QueryExpression Right) : QueryExpression
{
    public override bool IsTrue(JsonObject document) => Left.IsTrue(document) && Right.IsTrue(document);
}
