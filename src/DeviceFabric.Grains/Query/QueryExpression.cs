using System.Text.Json.Nodes;

namespace DeviceFabric.Query;

/// <summary>A node of a WHERE clause.</summary>
internal abstract record QueryExpression
{
    public abstract bool IsTrue(JsonObject document);
}
