using System.Globalization;
using DeviceFabric.Contracts;
using DeviceFabric.Jobs;
using DeviceFabric.Methods;

namespace DeviceFabric.Api.Jobs;

/// <summary>Maps IoT Hub's job request body (<c>PUT /jobs/v2/{id}</c>) to the fabric's request; values IoT Hub refuses are a 400.</summary>
internal static class JobRequestMapper
{
    public static JobRequest ToRequest(string jobId, JobRequestJson body)
    {
        if (body.JobId is { } bodyId && bodyId != jobId)
        {
            throw Invalid($"The body's jobId '{bodyId}' is not the one in the path.");
        }

        var type = JobWireNames.ParseType(body.Type)
            ?? throw Invalid("type must be scheduleUpdateTwin or scheduleDeviceMethod.");
        var startTime = body.StartTime is { Length: > 0 } start
            ? DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : throw Invalid("startTime must be an ISO-8601 time.")
            : (DateTimeOffset?)null;
        return new JobRequest(
            type,
            body.QueryCondition ?? string.Empty,
            type == JobType.ScheduleUpdateTwin ? body.UpdateTwin?.ToJsonString() : null,
            type == JobType.ScheduleDeviceMethod ? Method(body.CloudToDeviceMethod) : null,
            startTime,
            Seconds(body.MaxExecutionTimeInSeconds, "maxExecutionTimeInSeconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            body.FailureThreshold);
    }

    private static JobMethod? Method(CloudToDeviceMethodJson? method) =>
        method is null
            ? null
            : new JobMethod(
                method.MethodName ?? string.Empty,
                method.Payload?.ToJsonString() ?? "null",
                TimeSpan.FromSeconds(Seconds(method.ResponseTimeoutInSeconds, "responseTimeoutInSeconds") ?? DirectMethodRequest.DefaultResponseTimeout.TotalSeconds),
                TimeSpan.FromSeconds(Seconds(method.ConnectTimeoutInSeconds, "connectTimeoutInSeconds") ?? 0));

    /// <summary>A duration in seconds; out-of-range values are refused here, before they could overflow a TimeSpan.</summary>
    private static double? Seconds(double? value, string name) => value switch
    {
        null => null,
        var seconds and >= 0 and <= 100_000_000 => seconds,
        _ => throw Invalid($"{name} must be a number of seconds between 0 and 100000000."),
    };

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
