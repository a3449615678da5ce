using DeviceFabric.Api.Http;
using DeviceFabric.Contracts;
using Microsoft.AspNetCore.Http;

namespace DeviceFabric.Api.Provisioning;

/// <summary>DPS's query bodies and paging: <c>{"query":"*"}</c> (or <c>SELECT * FROM enrollments</c>), <c>x-ms-continuation</c> left out on the last page.</summary>
internal static class ProvisioningQuery
{
    public const int MaxPageSize = 1000;
    private const long MaxBodyBytes = 4 * 1024;

    /// <summary>Reads the query; DPS's language has no filters here, so anything but "everything" is a 400.</summary>
    public static async Task ReadAsync(HttpContext context)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.QuerySpecificationJson, MaxBodyBytes);
        var query = string.Join(' ', (body.Query ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (query != "*" && !query.StartsWith("SELECT * FROM ", StringComparison.OrdinalIgnoreCase))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The provisioning service's query takes {\"query\":\"*\"} (every item) only.");
        }

        if (query.StartsWith("SELECT * FROM ", StringComparison.OrdinalIgnoreCase) && query.Split(' ').Length != 4)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The provisioning service's query takes no WHERE clause here: use {\"query\":\"*\"}.");
        }
    }

    public static void WritePageHeaders(HttpContext context, string itemType, string? continuation)
    {
        context.Response.Headers["x-ms-item-type"] = itemType;
        if (continuation is not null)
        {
            context.Response.Headers["x-ms-continuation"] = continuation;
        }
    }
}
