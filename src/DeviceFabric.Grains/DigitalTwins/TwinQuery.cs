using System.Text.Json.Nodes;
using DeviceFabric.Query;

namespace DeviceFabric.DigitalTwins;

/// <summary>A parsed digital twins query.</summary>
/// <param name="Top">TOP(n), if given.</param>
/// <param name="Projection">What each row gives.</param>
/// <param name="RootAlias">The FROM twins' alias, if named.</param>
/// <param name="Joins">The JOINs, in order.</param>
/// <param name="Where">The condition, if any.</param>
/// <param name="Ancestry">How IS_OF_MODEL learns a model's ancestors: set by whoever evaluates.</param>
internal sealed record TwinQuery(
    int? Top, TwinProjectionSpec Projection, string? RootAlias, IReadOnlyList<TwinJoin> Joins, QueryExpression? Where, ModelAncestry Ancestry)
{
    /// <summary>The MATCH pattern, for a MATCH query.</summary>
    public TwinMatch? Match { get; init; }

    /// <summary>The row a condition sees for a twin without JOINs: the twin, or the twin under its alias.</summary>
    public JsonObject Row(JsonObject twin) => RootAlias is null ? twin : new JsonObject { [RootAlias] = twin };

    /// <summary>What a row gives, as Azure Digital Twins writes it.</summary>
    public JsonObject Project(JsonObject row)
    {
        switch (Projection.Kind)
        {
            case TwinProjectionKind.All when Joins.Count == 0 && Match is null:
                return RootAlias is null ? row : (JsonObject)row[RootAlias]!.DeepClone();
            case TwinProjectionKind.Items:
                var projected = new JsonObject();
                foreach (var (path, name) in Projection.Items)
                {
                    // A path no row has is left out, as Azure Digital Twins leaves it out.
                    if (QueryValues.Resolve(row, path) is not QueryValues.Undefined and var value)
                    {
                        projected[name] = (value as JsonNode)?.DeepClone();
                    }
                }

                return projected;
            default:
                return (JsonObject)row.DeepClone();
        }
    }
}

/// <summary>What a query's rows give.</summary>
internal enum TwinProjectionKind
{
    /// <summary><c>SELECT *</c>.</summary>
    All,

    /// <summary><c>SELECT COUNT()</c>.</summary>
    Count,

    /// <summary>Aliases or paths.</summary>
    Items,
}

/// <summary>The SELECT list.</summary>
internal sealed record TwinProjectionSpec(TwinProjectionKind Kind, IReadOnlyList<(IReadOnlyList<string> Path, string Name)> Items);

/// <summary><c>JOIN {Alias} RELATED {Source}.{Relationship} [{RelationshipAlias}]</c>.</summary>
internal sealed record TwinJoin(string Alias, string Source, string Relationship, string? RelationshipAlias);

/// <summary>A model's ancestors as the evaluator knows them (set per evaluation from the compiled models).</summary>
internal sealed class ModelAncestry
{
    public Func<string, string, bool> IsOf { get; set; } = (model, wanted) => model == wanted;
}

/// <summary><c>IS_OF_MODEL([alias,] 'dtmi', [exact])</c>: the twin's model is that one, or (without exact) extends it.</summary>
internal sealed record IsOfModelExpression(string? Alias, string ModelId, bool Exact, ModelAncestry Ancestry) : QueryExpression
{
    public override bool IsTrue(JsonObject document)
    {
        var twin = Alias is null ? document : document[Alias] as JsonObject;
        var model = twin?["$metadata"]?["$model"]?.GetValue<string>();
        return model is not null && (Exact ? model == ModelId : Ancestry.IsOf(model, ModelId));
    }
}

/// <summary>A MATCH pattern: twins and the relationships between each and the next.</summary>
internal sealed record TwinMatch(IReadOnlyList<string> Nodes, IReadOnlyList<TwinEdge> Edges);

/// <summary>Which way a MATCH relationship points.</summary>
internal enum TwinEdgeDirection
{
    /// <summary>From the twin on the left to the one on the right.</summary>
    Out,

    /// <summary>From the right to the left.</summary>
    In,

    /// <summary>Either way.</summary>
    Both,
}

/// <summary>One MATCH relationship: its variable, the names it may have (any when empty), its direction and hops.</summary>
internal sealed record TwinEdge(string? Variable, IReadOnlyList<string> Names, TwinEdgeDirection Direction, int MinHops, int MaxHops)
{
    public bool Allows(string name) => Names.Count == 0 || Names.Contains(name, StringComparer.Ordinal);
}
