using DeviceFabric.Query;
using DeviceFabric.Registry;

namespace DeviceFabric.Jobs;

/// <summary>The slice's device rows for <c>FROM devices.jobs</c> queries.</summary>
internal sealed partial class JobSliceGrain
{
    public Task<IReadOnlyList<QueryMatch>> QueryRowsAsync(string query, string? afterDeviceId, int maxCount, CancellationToken cancellationToken = default)
    {
        if (state.State.Plan is not { } plan)
        {
            return Task.FromResult<IReadOnlyList<QueryMatch>>([]);
        }

        var parsed = QueryParser.Parse(query);
        var matches = new List<QueryMatch>();
        foreach (var row in state.State.Rows.Values
            .Where(r => afterDeviceId is null || string.CompareOrdinal(r.DeviceId, afterDeviceId) > 0)
            .OrderBy(r => r.DeviceId, StringComparer.Ordinal))
        {
            var document = DeviceJobJson.Compose(plan, row);
            if (parsed.Matches(document))
            {
                matches.Add(new QueryMatch(row.DeviceId, QueryResults.Item(parsed, document).ToJsonString()));
                if (matches.Count == maxCount)
                {
                    break;
                }
            }
        }

        return Task.FromResult<IReadOnlyList<QueryMatch>>(matches);
    }
}
