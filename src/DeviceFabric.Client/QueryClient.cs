using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using DeviceFabric.Registry;

namespace DeviceFabric.Client;

/// <summary>IoT Hub's query language over one hub's device twins and job rows, as the REST API's <c>POST /devices/query</c>.</summary>
public sealed class QueryClient
{
    private readonly IClusterClient _client;
    private readonly string _hub;

    internal QueryClient(IClusterClient client, string hub)
    {
        _client = client;
        _hub = hub;
    }

    /// <summary>One page of results; pass <see cref="QueryPage.ContinuationToken"/> back for the next (null on the last page).</summary>
    /// <exception cref="DeviceFabricServiceException">The query is malformed (400, naming the position and cause).</exception>
    public Task<QueryPage> QueryPageAsync(string query, int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        return DeviceFabricServiceException.TranslateAsync(() =>
            _client.GetGrain<IDeviceRegistryGrain>(_hub).QueryAsync(query, pageSize, continuationToken, cancellationToken));
    }

    /// <summary>Every result, page by page.</summary>
    /// <exception cref="DeviceFabricServiceException">The query is malformed.</exception>
    public async IAsyncEnumerable<JsonObject> QueryAsync(string query, int pageSize = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await QueryPageAsync(query, pageSize, token, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                yield return JsonNode.Parse(item)!.AsObject();
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }
}
