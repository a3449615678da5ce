using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceFabric.Jobs;

/// <summary>IoT Hub's job JSON (<c>JobResponse</c>), shared by the REST API and the jobs query.</summary>
public static class JobJson
{
    /// <summary>The job as <c>GET /jobs/v2/{id}</c> returns it.</summary>
    public static JsonObject Compose(JobSnapshot job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = job.Request;
        var json = new JsonObject
        {
            ["jobId"] = job.JobId,
            ["queryCondition"] = request.QueryCondition,
            ["createdTime"] = job.CreatedTime.UtcDateTime,
            ["startTime"] = job.StartTime.UtcDateTime,
            ["endTime"] = job.EndTime?.UtcDateTime,
            ["maxExecutionTimeInSeconds"] = (long)(request.MaxExecutionTime ?? TimeSpan.FromHours(1)).TotalSeconds,
            ["type"] = request.Type.ToWire(),
            ["status"] = job.Status.ToWire(),
            ["failureReason"] = job.FailureReason,
            ["statusMessage"] = job.StatusMessage,
            ["deviceJobStatistics"] = new JsonObject
            {
                ["deviceCount"] = job.Statistics.DeviceCount,
                ["failedCount"] = job.Statistics.FailedCount,
                ["succeededCount"] = job.Statistics.SucceededCount,
                ["runningCount"] = job.Statistics.RunningCount,
                ["pendingCount"] = job.Statistics.PendingCount,
            },
        };

        if (request.Method is { } method)
        {
            json["cloudToDeviceMethod"] = new JsonObject
            {
                ["methodName"] = method.MethodName,
                ["payload"] = JsonNode.Parse(method.PayloadJson),
                ["responseTimeoutInSeconds"] = (long)method.ResponseTimeout.TotalSeconds,
                ["connectTimeoutInSeconds"] = (long)method.ConnectTimeout.TotalSeconds,
            };
        }

        if (request.UpdateTwinJson is { } patch)
        {
            json["updateTwin"] = JsonNode.Parse(patch);
        }

        if (job.ParentJobId is not null)
        {
            json["parentJobId"] = job.ParentJobId;
        }

        if (job.RollbackJobId is not null)
        {
            json["rollbackJobId"] = job.RollbackJobId;
        }

        if (request.FailureThreshold is { } threshold)
        {
            json["failureThreshold"] = threshold;
        }

        return json;
    }

    /// <summary>The JSON text of <see cref="Compose"/>.</summary>
    public static string Serialize(JobSnapshot job) => Compose(job).ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
