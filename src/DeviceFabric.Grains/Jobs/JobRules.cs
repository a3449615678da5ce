using System.Text.Json.Nodes;
using DeviceFabric.Methods;
using DeviceFabric.Query;
using DeviceFabric.Twins;

namespace DeviceFabric.Jobs;

/// <summary>What a job request must satisfy before anything is stored: every refusal is IoT Hub's 400 (or 413) and creates nothing.</summary>
internal static class JobRules
{
    public static readonly TimeSpan DefaultMaxExecutionTime = TimeSpan.FromHours(1);

    /// <summary>The id a job's rollback takes unless one is given: <c>{jobId}-rollback</c>, within the 128-character limit.</summary>
    public static string RollbackIdOf(string jobId) => string.Concat(jobId.AsSpan(0, Math.Min(jobId.Length, 119)), "-rollback");

    public static void ValidateId(string jobId) => JobIdRules.ThrowIfInvalid(jobId);

    public static void Validate(string jobId, JobRequest request, DateTimeOffset now)
    {
        ValidateId(jobId);
        if (string.IsNullOrWhiteSpace(request.QueryCondition))
        {
            throw Invalid("queryCondition is required: a WHERE condition over device twins, or * for every device.");
        }

        QueryParser.ParseCondition(request.QueryCondition);
        if (request.StartTime is { } start && start < now - IJobGrain.StartTimeGrace)
        {
            throw Invalid($"startTime {start:o} is in the past.");
        }

        if (request.MaxExecutionTime is { } max && (max < TimeSpan.FromSeconds(1) || max > IJobGrain.MaxExecutionTime))
        {
            throw Invalid($"maxExecutionTimeInSeconds must be between 1 and {IJobGrain.MaxExecutionTime.TotalSeconds}.");
        }

        if (request.FailureThreshold is { } threshold && (threshold is < 0 or > 1 || double.IsNaN(threshold)))
        {
            throw Invalid("failureThreshold must be a fraction between 0 and 1.");
        }

        switch (request.Type)
        {
            case JobType.ScheduleUpdateTwin:
                ValidatePatch(request.UpdateTwinJson);
                break;
            case JobType.ScheduleDeviceMethod when request.Method is { } method:
                DeviceFabric.Devices.DeviceGrain.ValidateMethodRequest(
                    new DirectMethodRequest(method.MethodName, method.PayloadJson, method.ResponseTimeout, method.ConnectTimeout));
                break;
            default:
                throw Invalid("A scheduleDeviceMethod job needs cloudToDeviceMethod with a methodName.");
        }
    }

    /// <summary>A job's twin patch: tags and desired properties only, within the twin's rules and sizes.</summary>
    private static void ValidatePatch(string? patchJson)
    {
        if (string.IsNullOrWhiteSpace(patchJson))
        {
            throw Invalid("A scheduleUpdateTwin job needs updateTwin: a twin patch with tags or properties.desired.");
        }

        var patch = TwinJson.ParseObject(patchJson, "updateTwin");
        var tags = TwinJson.Member(patch, "tags", "updateTwin.tags");
        var properties = TwinJson.Member(patch, "properties", "updateTwin.properties");
        if (properties?["reported"] is not null)
        {
            throw Invalid("Reported properties are the device's: a job cannot write them.");
        }

        var desired = properties is null ? null : TwinJson.Member(properties, "desired", "updateTwin.properties.desired");
        if (tags is null && desired is null)
        {
            throw Invalid("updateTwin must hold tags or properties.desired.");
        }

        Check(tags, "tags", TwinRules.TagsMaxBytes);
        Check(desired, "properties.desired", TwinRules.PropertiesMaxBytes);
    }

    private static void Check(JsonObject? section, string name, int limit)
    {
        if (section is null)
        {
            return;
        }

        TwinRules.ValidatePatch(section, name);
        TwinRules.ValidateSize(section, limit, "updateTwin." + name);
    }

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
