using DeviceFabric.Api.Http;
using DeviceFabric.Api.Query;
using DeviceFabric.Api.Security;
using DeviceFabric.Contracts;
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
        var jobs = api.MapGroup(string.Empty).WithTags("Jobs");
        jobs.MapGet("/jobs/v2/query", QueryJobsAsync).WithName("QueryJobs").WithSummary("Lists jobs, newest first, by type and status")
            .RequireAnyRight(Read);
        jobs.MapPut("/jobs/v2/{jobId}", ScheduleJobAsync).WithName("ScheduleJob").WithSummary("Schedules a twin-update or direct-method job")
            .DocumentsBody<JobRequestJson>("application/json").RequireRights(AccessRights.ServiceConnect);
        jobs.MapGet("/jobs/v2/{jobId}", GetJobAsync).WithName("GetJob").WithSummary("Reads a job and its device statistics").RequireAnyRight(Read);
        jobs.MapPost("/jobs/v2/{jobId}/cancel", CancelJobAsync).WithName("CancelJob").WithSummary("Cancels a job that has not ended")
            .RequireRights(AccessRights.ServiceConnect);
        jobs.MapPost("/jobs/v2/{jobId}/rollback", RollbackJobAsync).WithName("RollbackJob")
            .WithSummary("Restores what a twin-update job changed, as a job of its own (beyond IoT Hub)")
            .DocumentsBody<JobRollbackRequestJson>("application/json").RequireRights(AccessRights.ServiceConnect);
    }

    private static async Task<DocumentResult<JobResponseJson>> ScheduleJobAsync(string jobId, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.JobRequestJson, MaxBodyBytes);
        var request = JobRequestMapper.ToRequest(jobId, body);
        return JobResult(await Job(context, grains, jobId).CreateAsync(request, context.RequestAborted));
    }

    private static async Task<DocumentResult<JobResponseJson>> GetJobAsync(string jobId, HttpContext context, IGrainFactory grains) =>
        JobResult(await Job(context, grains, jobId).GetAsync(context.RequestAborted)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.JobNotFound, $"Job {jobId} not found."));

    private static async Task<DocumentResult<JobResponseJson>> CancelJobAsync(string jobId, HttpContext context, IGrainFactory grains) =>
        JobResult(await Job(context, grains, jobId).CancelAsync(context.RequestAborted));

    private static async Task<DocumentResult<JobResponseJson>> RollbackJobAsync(string jobId, HttpContext context, IGrainFactory grains)
    {
        string? rollbackJobId = null;
        if (context.Request.ContentLength > 0)
        {
            rollbackJobId = (await JsonBody.ReadAsync(context, ContractsJsonContext.Default.JobRollbackRequestJson, MaxBodyBytes)).JobId;
        }

        return JobResult(await Job(context, grains, jobId).RollbackAsync(rollbackJobId, context.RequestAborted));
    }

    private static async Task<DocumentResult<List<JobResponseJson>>> QueryJobsAsync(HttpContext context, IGrainFactory grains)
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
        return QueryEndpoints.PageResult<JobResponseJson>(context, page);
    }

    private static IJobGrain Job(HttpContext context, IGrainFactory grains, string jobId)
    {
        JobIdRules.ThrowIfInvalid(jobId);
        return grains.GetGrain<IJobGrain>(JobKey.Create(RequireRightsFilter.HubOf(context), jobId));
    }

    private static DocumentResult<JobResponseJson> JobResult(JobSnapshot job) => new(JobJson.Serialize(job));
}
