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
