using System.Text.Json.Nodes;

namespace DeviceFabric.Query;

/// <summary>Turns matching documents into result items: whole documents, projections, or groups of an aggregate.</summary>
internal static class QueryResults
{
    /// <summary>Whether the query counts (<c>COUNT()</c> in its SELECT list), so shards return groups, not items.</summary>
    public static bool IsAggregate(DeviceQuery query) => query.Select?.Any(s => s.Path is null) == true;

    /// <summary>The result item for one document: the document for <c>SELECT *</c>, else the selected paths by alias (undefined ones left out).</summary>
    public static JsonObject Item(DeviceQuery query, JsonObject document)
    {
        if (query.SelectsAll)
        {
            return document;
        }

        var item = new JsonObject();
        foreach (var select in query.Select!)
        {
            if (select.Path is not null && QueryValues.Resolve(document, select.Path) is var value and not QueryValues.Undefined)
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

    /// <summary>A merged group as IoT Hub returns it: the selected values with every <c>COUNT()</c> alias set to the count.</summary>
    public static string GroupItem(DeviceQuery query, string item, long count)
    {
        var row = JsonNode.Parse(item)!.AsObject();
        foreach (var select in query.Select!.Where(s => s.Path is null))
        {
            row[select.Alias] = count;
        }

        return row.ToJsonString();
    }
}
