using System.Text.Json.Nodes;

namespace DeviceFabric.Query;

internal sealed record NotExpression(QueryExpression Inner) : QueryExpression
{
    public override bool IsTrue(JsonObject document) => !Inner.IsTrue(document);
}
