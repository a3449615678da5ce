using System.Text.Json.Nodes;

namespace DeviceFabric.Jobs;

/// <summary>IoT Hub's per-device job row (<c>FROM devices.jobs</c>): status with one "l" in canceled, times in UTC.</summary>
internal static class DeviceJobJson
{
    public static JsonObject Compose(JobPlan plan, DeviceJobRow row)
    {
        var item = new JsonObject
        {
            ["deviceId"] = row.DeviceId,
            ["jobId"] = plan.JobId,
            ["jobType"] = JobWireNames.ToWire(plan.Request.Type),
            ["status"] = row.Status.ToString().ToLowerInvariant(),
            ["startTimeUtc"] = row.StartTime?.UtcDateTime,
            ["endTimeUtc"] = row.EndTime?.UtcDateTime,
            ["createdDateTimeUtc"] = plan.CreatedTime.UtcDateTime,
            ["lastUpdatedDateTimeUtc"] = (row.EndTime ?? row.StartTime ?? plan.CreatedTime).UtcDateTime,
        };

        if (row.MethodStatus is { } status)
        {
            item["outcome"] = new JsonObject
            {
                ["deviceMethodResponse"] = new JsonObject { ["status"] = status, ["payload"] = ParseOrText(row.MethodPayload) },
            };
        }

        if (row.ErrorCode is not null)
        {
            item["error"] = new JsonObject { ["code"] = row.ErrorCode, ["description"] = row.ErrorDescription };
        }

        return item;
    }

    private static JsonNode? ParseOrText(string? json)
    {
        try
        {
            return json is null ? null : JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return json;
        }
    }
}
