using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Jobs;
using DeviceFabric.Methods;

namespace DeviceFabric.Api.Jobs;

/// <summary>Reads IoT Hub's job request body (<c>PUT /jobs/v2/{id}</c>); a missing or wrong-typed field is a 400.</summary>
internal static class JobRequestJson
{
    public static JobRequest Read(string jobId, JsonObject body)
    {
        if (Text(body, "jobId") is { } bodyId && bodyId != jobId)
        {
            throw Invalid($"The body's jobId '{bodyId}' is not the one in the path.");
        }

        var type = JobWireNames.ParseType(Text(body, "type"))
            ?? throw Invalid("type must be scheduleUpdateTwin or scheduleDeviceMethod.");
        var startTime = Text(body, "startTime") is { Length: > 0 } start
            ? DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : throw Invalid("startTime must be an ISO-8601 time.")
            : (DateTimeOffset?)null;
        var maxSeconds = Seconds(body, "maxExecutionTimeInSeconds");
        return new JobRequest(
            type,
            Text(body, "queryCondition") ?? string.Empty,
            type == JobType.ScheduleUpdateTwin ? body["updateTwin"]?.ToJsonString() : null,
            type == JobType.ScheduleDeviceMethod ? Method(body["cloudToDeviceMethod"]) : null,
            startTime,
            maxSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            Number(body, "failureThreshold"));
    }

    private static JobMethod? Method(JsonNode? node)
    {
        if (node is not JsonObject method)
        {
            return null;
        }

        return new JobMethod(
            Text(method, "methodName") ?? string.Empty,
            method["payload"]?.ToJsonString() ?? "null",
            TimeSpan.FromSeconds(Seconds(method, "responseTimeoutInSeconds") ?? DirectMethodRequest.DefaultResponseTimeout.TotalSeconds),
            TimeSpan.FromSeconds(Seconds(method, "connectTimeoutInSeconds") ?? 0));
    }

    private static string? Text(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw Invalid($"{name} must be a string."),
    };

    private static double? Number(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        _ => throw Invalid($"{name} must be a number."),
    };

    /// <summary>A duration in seconds; out-of-range values are refused here, before they could overflow a TimeSpan.</summary>
    private static double? Seconds(JsonObject body, string name) => Number(body, name) switch
    {
        null => null,
        var seconds and >= 0 and <= 100_000_000 => seconds,
        _ => throw Invalid($"{name} must be a number of seconds between 0 and 100000000."),
    };

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
