using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Contracts;
using DeviceFabric.Jobs;
using DeviceFabric.Security;
using DeviceFabric.Transfers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Api.Jobs;

/// <summary>
/// IoT Hub's import/export jobs (<c>POST /jobs/create</c>, <c>GET /jobs/{id}</c>, <c>GET /jobs</c>, <c>DELETE /jobs/{id}</c>)
/// over files in the node's transfer directory; beyond IoT Hub, <c>type</c> <c>migrate</c> moves devices to another hub,
/// with a token of that hub in <see cref="TargetAuthorizationHeader"/>, since one hub's credentials reach nothing of another.
/// </summary>
internal static class ImportExportEndpoints
{
    /// <summary>A SAS token of the target hub with RegistryWrite, for a migration.</summary>
    public const string TargetAuthorizationHeader = "x-devicefabric-target-authorization";

    private const long MaxBodyBytes = 16 * 1024;

    public static void MapImportExport(this RouteGroupBuilder api)
    {
        const AccessRights Read = AccessRights.RegistryRead | AccessRights.RegistryWrite;
        var jobs = api.MapGroup(string.Empty).WithTags("Import and export");
        jobs.MapPost("/jobs/create", CreateAsync).WithName("CreateImportExportJob")
            .WithSummary("Starts an import or export in IoT Hub's bulk format, or a migration to another hub (beyond IoT Hub)")
            .DocumentsBody<ImportExportJobJson>("application/json").RequireAnyRight(Read);
        jobs.MapGet("/jobs", ListAsync).WithName("ListImportExportJobs").WithSummary("Lists the hub's latest import, export and migration jobs, newest first")
            .RequireAnyRight(Read);
        jobs.MapGet("/jobs/{jobId}", GetAsync).WithName("GetImportExportJob").WithSummary("Reads an import, export or migration job").RequireAnyRight(Read);
        jobs.MapDelete("/jobs/{jobId}", CancelAsync).WithName("CancelImportExportJob").WithSummary("Cancels an import, export or migration job")
            .RequireRights(AccessRights.RegistryWrite);
    }

    private static async Task<Ok<ImportExportJobJson>> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.ImportExportJobJson, MaxBodyBytes);
        var request = TransferJobMapper.ToRequest(body);
        var hub = RequireRightsFilter.HubOf(context);
        var authenticator = context.RequestServices.GetRequiredService<ServiceAuthenticator>();
        if (request.Type != TransferType.Export)
        {
            await authenticator.AuthorizeAsync(context.Request.Headers.Authorization, context.Request.Path.Value ?? "/", AccessRights.RegistryWrite, false, context.RequestAborted);
        }

        if (request.Type == TransferType.Migrate)
        {
            var target = await authenticator.AuthorizeAsync(
                context.Request.Headers[TargetAuthorizationHeader].ToString() is { Length: > 0 } token ? token : null,
                context.Request.Path.Value ?? "/", AccessRights.RegistryWrite, false, context.RequestAborted);
            request = request with { TargetHub = request.TargetHub ?? target };
            if (!IsHub(context, target, request.TargetHub))
            {
                throw new DeviceFabricException(DeviceFabricErrorCode.IotHubUnauthorizedAccess, $"The {TargetAuthorizationHeader} token is for hub {target}, not {request.TargetHub}.");
            }
        }

        var jobId = body.JobId ?? Guid.NewGuid().ToString("N");
        JobIdRules.ThrowIfInvalid(jobId);
        return TypedResults.Ok(TransferJobMapper.ToJson(await grains.GetGrain<ITransferJobGrain>(JobKey.Create(hub, jobId)).CreateAsync(request, context.RequestAborted)));
    }

    private static async Task<Ok<ImportExportJobJson>> GetAsync(string jobId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(TransferJobMapper.ToJson(await Job(context, grains, jobId).GetAsync(context.RequestAborted)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.JobNotFound, $"Job {jobId} not found.")));

    private static async Task<Ok<ImportExportJobJson>> CancelAsync(string jobId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(TransferJobMapper.ToJson(await Job(context, grains, jobId).CancelAsync(context.RequestAborted)));

    private static async Task<Ok<List<ImportExportJobJson>>> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var hub = RequireRightsFilter.HubOf(context);
        var ids = await grains.GetGrain<ITransferDirectoryGrain>(hub).ListAsync(context.RequestAborted);
        var jobs = await Task.WhenAll(ids.Select(id => grains.GetGrain<ITransferJobGrain>(JobKey.Create(hub, id)).GetAsync(context.RequestAborted)));
        return TypedResults.Ok(jobs.OfType<TransferSnapshot>().Select(TransferJobMapper.ToJson).ToList());
    }

    private static ITransferJobGrain Job(HttpContext context, IGrainFactory grains, string jobId)
    {
        JobIdRules.ThrowIfInvalid(jobId);
        return grains.GetGrain<ITransferJobGrain>(JobKey.Create(RequireRightsFilter.HubOf(context), jobId));
    }

    /// <summary>Whether <paramref name="named"/> (a hub's name or host name) is the hub <paramref name="hub"/>.</summary>
    private static bool IsHub(HttpContext context, string hub, string? named)
    {
        var definition = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hubs.HubOptions>>().Value.Find(hub);
        return definition is not null && (named == definition.Name || string.Equals(named, definition.HostName, StringComparison.OrdinalIgnoreCase));
    }
}
