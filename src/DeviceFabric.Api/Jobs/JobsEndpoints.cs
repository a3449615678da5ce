using DeviceFabric.Api.Http;
using DeviceFabric.Api.Query;
using DeviceFabric.Api.Security;
using DeviceFabric.Jobs;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Jobs;

/// <summary>
/// IoT Hub's jobs v2 API: schedule (<c>PUT</c>), read, cancel and query jobs; beyond IoT Hub, <c>POST .../rollback</c>
/// restores what a twin-update job changed.
/// </summary>
internal static class JobsEndpoints
{
    private const long MaxBodyBytes = 256 * 1024;

    public static void MapJobs(this RouteGroupBuilder api)
    {
        const AccessRights Read = AccessRights.ServiceConnect | AccessRights.RegistryRead;
        api.MapGet("/jobs/v2/query", QueryJobs).WithName("QueryJobs").RequireAnyRight(Read);
        api.MapPut("/jobs/v2/{jobId}", ScheduleJob).WithName("ScheduleJob").RequireRights(AccessRights.ServiceConnect);
        api.MapGet("/jobs/v2/{jobId}", GetJob).WithName("GetJob").RequireAnyRight(Read);
        api.MapPost("/jobs/v2/{jobId}/cancel", CancelJob).WithName("CancelJob").RequireRights(AccessRights.ServiceConnect);
        api.MapPost("/jobs/v2/{jobId}/rollback", RollbackJob).WithName("RollbackJob").RequireRights(AccessRights.ServiceConnect);
    }

    private static async Task<IResult> ScheduleJob(string jobId, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadObjectAsync(context, MaxBodyBytes);
        var request = JobRequestJson.Read(jobId, body);
        return JobResult(await Job(context, grains, jobId).CreateAsync(request, context.RequestAborted));
    }

    private static async Task<IResult> GetJob(string jobId, HttpContext context, IGrainFactory grains) =>
        JobResult(await Job(context, grains, jobId).GetAsync(context.RequestAborted)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.JobNotFound, $"Job {jobId} not found."));

    private static async Task<IResult> CancelJob(string jobId, HttpContext context, IGrainFactory grains) =>
        JobResult(await Job(context, grains, jobId).CancelAsync(context.RequestAborted));

    private static async Task<IResult> RollbackJob(string jobId, HttpContext context, IGrainFactory grains)
    {
        string? rollbackJobId = null;
        if (context.Request.ContentLength > 0)
        {
            var body = await JsonBody.ReadObjectAsync(context, MaxBodyBytes);
            rollbackJobId = body["jobId"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? body["jobId"]!.GetValue<string>() : null;
        }

        return JobResult(await Job(context, grains, jobId).RollbackAsync(rollbackJobId, context.RequestAborted));
    }

    private static async Task<IResult> QueryJobs(HttpContext context, IGrainFactory grains)
    {
        var query = context.Request.Query;
        var type = query["jobType"].ToString() is { Length: > 0 } t
            ? JobWireNames.ParseType(t) ?? throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"Unknown jobType '{t}'.")
            : (JobType?)null;
        var status = query["jobStatus"].ToString() is { Length: > 0 } s
            ? JobWireNames.ParseStatus(s) ?? throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"Unknown jobStatus '{s}'.")
            : (JobStatus?)null;
        var page = await grains.GetGrain<IJobDirectoryGrain>(RequireRightsFilter.HubOf(context)).QueryJobsAsync(
            type, status, QueryEndpoints.PageSize(context, 1000), QueryEndpoints.Continuation(context), context.RequestAborted);
        return QueryEndpoints.PageResult(context, page);
    }

    private static IJobGrain Job(HttpContext context, IGrainFactory grains, string jobId)
    {
        JobIdRules.ThrowIfInvalid(jobId);
        return grains.GetGrain<IJobGrain>(JobKey.Create(RequireRightsFilter.HubOf(context), jobId));
    }

    private static IResult JobResult(JobSnapshot job) => TypedResults.Text(JobJson.Serialize(job), "application/json; charset=utf-8");
}
