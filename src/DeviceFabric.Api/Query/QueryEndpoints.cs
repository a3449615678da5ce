using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Contracts;
using DeviceFabric.Registry;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Query;

/// <summary>
/// IoT Hub's query API: <c>POST /devices/query</c> with <c>{"query":"..."}</c>, paged by <c>x-ms-max-item-count</c> and
/// <c>x-ms-continuation</c> (left out on the last page, which is how the SDKs know they are done).
/// </summary>
internal static class QueryEndpoints
{
    public const int DefaultPageSize = 100;
    private const long MaxBodyBytes = 16 * 1024;

    public static void MapQuery(this RouteGroupBuilder api) =>
        api.MapPost("/devices/query", QueryDevicesAsync).WithName("QueryDevices").WithTags("Queries")
            .WithSummary("Runs IoT Hub's query language over twins and job rows, a page at a time")
            .DocumentsBody<QuerySpecificationJson>("application/json")
            .RequireAnyRight(AccessRights.RegistryRead | AccessRights.ServiceConnect);

    private static async Task<DocumentResult<List<JsonObject>>> QueryDevicesAsync(HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.QuerySpecificationJson, MaxBodyBytes);
        var query = body.Query
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The body must be {\"query\":\"SELECT ... FROM devices ...\"}.");
        var page = await grains.GetGrain<IDeviceRegistryGrain>(RequireRightsFilter.HubOf(context))
            .QueryAsync(query, PageSize(context, IDeviceRegistryGrain.MaxQueryPageSize), Continuation(context), context.RequestAborted);
        return PageResult<JsonObject>(context, page);
    }

    /// <summary>The page size asked for in <c>x-ms-max-item-count</c>, default 100.</summary>
    public static int PageSize(HttpContext context, int max)
    {
        var header = context.Request.Headers["x-ms-max-item-count"].ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Math.Min(DefaultPageSize, max);
        }

        return int.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size >= 1 && size <= max
            ? size
            : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"x-ms-max-item-count must be between 1 and {max}.");
    }

    public static string? Continuation(HttpContext context) =>
        context.Request.Headers["x-ms-continuation"].ToString() is { Length: > 0 } token ? token : null;

    /// <summary>
    /// The page as a JSON array of <typeparamref name="TItem"/>, with <c>x-ms-item-type</c> and, unless it is the last
    /// page, <c>x-ms-continuation</c>.
    /// </summary>
    public static DocumentResult<List<TItem>> PageResult<TItem>(HttpContext context, QueryPage page)
    {
        context.Response.Headers["x-ms-item-type"] = page.ItemType.ToString();
        if (page.ContinuationToken is { } token)
        {
            context.Response.Headers["x-ms-continuation"] = token;
        }

        var json = new StringBuilder("[");
        json.AppendJoin(',', page.Items).Append(']');
        return new DocumentResult<List<TItem>>(json.ToString());
    }
}
