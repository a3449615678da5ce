using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Contracts;
using DeviceFabric.Contracts.Updates;
using DeviceFabric.Devices;
using DeviceFabric.Security;
using DeviceFabric.Updates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Updates;

/// <summary>
/// Device Update's import by URL: <c>POST /deviceUpdate/{instanceId}/updates:import</c> answers <c>202</c> with an
/// <c>Operation-Location</c> to poll (<c>GET .../updates/operations/{operationId}</c>) while the fabric downloads.
/// </summary>
internal static class ImportEndpoints
{
    private const long MaxBodyBytes = 64 * 1024;

    public static void MapUpdateImports(this RouteGroupBuilder api)
    {
        api.MapPost("/deviceUpdate/{instanceId}/updates:import", ImportAsync).WithTags("Device Update").WithName("ImportUpdate")
            .WithSummary("Imports an update from the URLs of its import manifest and files; poll the Operation-Location")
            .DocumentsBody<List<ImportUpdateInputItemJson>>("application/json").RequireRights(AccessRights.RegistryWrite);
        api.MapGet("/deviceUpdate/{instanceId}/updates/operations/{operationId}", GetAsync).WithTags("Device Update").WithName("GetUpdateImport")
            .WithSummary("Reads an import's status").RequireRights(AccessRights.RegistryRead);
    }

    private static async Task<Accepted<ImportOperationJson>> ImportAsync(string instanceId, HttpContext context, IGrainFactory grains)
    {
        var hub = UpdatesEndpoints.Hub(context, instanceId);
        var items = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.ListImportUpdateInputItemJson, MaxBodyBytes);
        if (items is not [{ ImportManifest: { } manifest } item])
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The body is an array of one update to import, with its importManifest.");
        }

        var request = new ImportRequest(
            manifest.Url ?? throw Invalid("importManifest.url is required."),
            manifest.SizeInBytes,
            manifest.Hashes?.GetValueOrDefault("sha256") ?? throw Invalid("importManifest.hashes.sha256 is required."),
            [.. (item.Files ?? []).Select((f, i) => new ImportFileUrl(
                f.Filename ?? throw Invalid($"files[{i}].filename is required."), f.Url ?? throw Invalid($"files[{i}].url is required.")))]);
        var operationId = Guid.NewGuid().ToString("D");
        var operation = await grains.GetGrain<IUpdateImportGrain>(DeviceKey.Create(hub, operationId)).StartAsync(request, context.RequestAborted);
        var location = $"{context.Request.Scheme}://{context.Request.Host}/deviceUpdate/{instanceId}/updates/operations/{operationId}?api-version=2022-10-01";
        context.Response.Headers["Operation-Location"] = location;
        return TypedResults.Accepted(location, ToJson(instanceId, operation));
    }

    private static async Task<Ok<ImportOperationJson>> GetAsync(string instanceId, string operationId, HttpContext context, IGrainFactory grains)
    {
        var hub = UpdatesEndpoints.Hub(context, instanceId);
        if (!Guid.TryParse(operationId, out _))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.UpdateNotFound, $"Import operation {operationId} not found.");
        }

        var operation = await grains.GetGrain<IUpdateImportGrain>(DeviceKey.Create(hub, operationId)).GetAsync(context.RequestAborted);
        if (operation.Status is "NotStarted" or "Running")
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return TypedResults.Ok(ToJson(instanceId, operation));
    }

    private static ImportOperationJson ToJson(string instanceId, ImportOperation operation) => new()
    {
        OperationId = operation.OperationId,
        Status = operation.Status,
        Update = operation.UpdateId is { } id ? new ImportedUpdateJson { UpdateId = UpdateMapper.ToJson(id) } : null,
        ResourceLocation = operation.Status == "Succeeded" && operation.UpdateId is { } done
            ? $"/deviceUpdate/{instanceId}/updates/providers/{done.Provider}/names/{done.Name}/versions/{done.Version}"
            : null,
        Error = operation.ErrorCode is null ? null : new ImportErrorJson { Code = operation.ErrorCode, Message = operation.ErrorMessage },
        CreatedDateTime = operation.CreatedTime.UtcDateTime,
        LastActionDateTime = operation.LastActionTime.UtcDateTime,
    };

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
