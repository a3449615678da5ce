using System.Text.Json.Nodes;

namespace DeviceFabric.Query;

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
