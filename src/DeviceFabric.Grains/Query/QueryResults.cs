using System.Text.Json.Nodes;
using DeviceFabric.Registry;

namespace DeviceFabric.Query;

/// <summary>Turns matching documents into result items: whole documents, projections, or groups of an aggregate.</summary>
internal static class QueryResults
{
    /// <summary>Whether the query counts (<c>COUNT()</c> in its SELECT list), so shards return groups, not items.</summary>
    public static bool IsAggregate(DeviceQuery query) => query.Select?.Any(s => s.IsAggregate) == true;

    /// <summary>The query's numeric aggregates (SUM, AVG, MIN, MAX), in SELECT order.</summary>
    public static IReadOnlyList<SelectItem> NumericAggregates(DeviceQuery query) =>
        query.Select?.Where(s => s.IsAggregate && s.Aggregate != "COUNT").ToList() ?? [];

    /// <summary>Adds a document's numbers to a group's partials; values that are not numbers (or undefined) are left out.</summary>
    public static void Accumulate(IReadOnlyList<SelectItem> aggregates, AggregatePartial[] partials, JsonObject document)
    {
        for (var i = 0; i < aggregates.Count; i++)
        {
            if (QueryValues.Resolve(document, aggregates[i].Path!) is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number)
            {
                partials[i] = partials[i].Add(value.GetValue<double>());
            }
        }
    }

    /// <summary>The result item for one document: the document for <c>SELECT *</c>, else the selected paths by alias (undefined ones left out).</summary>
    public static JsonObject Item(DeviceQuery query, JsonObject document)
    {
        if (query.SelectsAll)
        {
            // SELECT * answers the twin as IoT Hub does; the fabric's own health is there to be named.
            document.Remove("health");
            return document;
        }

        var item = new JsonObject();
        foreach (var select in query.Select!)
        {
            if (!select.IsAggregate && select.Path is not null && QueryValues.Resolve(document, select.Path) is var value and not QueryValues.Undefined)
            {
                item[select.Alias] = ((JsonNode?)value)?.DeepClone();
            }
        }

        return item;
    }

    /// <summary>The merge key of a document's group: the GROUP BY value as JSON, or one group for all when there is no GROUP BY.</summary>
    public static string GroupKey(DeviceQuery query, JsonObject document)
    {
        if (query.GroupBy is null)
        {
            return string.Empty;
        }

        return QueryValues.Resolve(document, query.GroupBy) switch
        {
            QueryValues.Undefined => "undefined",
            null => "null",
            var value => ((JsonNode)value).ToJsonString(),
        };
    }

    /// <summary>
    /// A merged group as IoT Hub returns it: the selected values, every <c>COUNT()</c> alias set to the count, and each
    /// numeric aggregate computed from its merged partial (left out when the group had no numbers for it).
    /// </summary>
    public static string GroupItem(DeviceQuery query, string item, long count, IReadOnlyList<AggregatePartial> partials)
    {
        var row = JsonNode.Parse(item)!.AsObject();
        var next = 0;
        foreach (var select in query.Select!.Where(s => s.IsAggregate))
        {
            if (select.Aggregate == "COUNT")
            {
                row[select.Alias] = count;
                continue;
            }

            var partial = partials[next++];
            if (partial.Count > 0)
            {
                var value = select.Aggregate switch
                {
                    "SUM" => partial.Sum,
                    "AVG" => double.IsFinite(partial.Sum) ? partial.Sum / partial.Count : partial.Mean,
                    "MIN" => partial.Min,
                    _ => partial.Max,
                };

                // JSON has no infinity: a sum past the largest double is the caller's 400, not the server's 500.
                row[select.Alias] = double.IsFinite(value)
                    ? value
                    : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"{select.Aggregate}({string.Join('.', select.Path!)}) overflows a double.");
            }
        }

        return row.ToJsonString();
    }
}
