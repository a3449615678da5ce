using System.Text.Json.Nodes;

namespace DeviceFabric.Contracts;

/// <summary>The body of IoT Hub's <c>PUT /jobs/v2/{id}</c>.</summary>
public sealed class JobRequestJson
{
    /// <summary>The job id; when given it must be the one in the path.</summary>
    public string? JobId { get; set; }

    /// <summary><c>scheduleUpdateTwin</c> or <c>scheduleDeviceMethod</c>.</summary>
    public string? Type { get; set; }

    /// <summary>The WHERE condition that picks the devices (<c>*</c> or empty: all).</summary>
    public string? QueryCondition { get; set; }

    /// <summary>The twin patch (tags and desired properties) of a twin-update job.</summary>
    public JsonObject? UpdateTwin { get; set; }

    /// <summary>The method of a method job.</summary>
    public CloudToDeviceMethodJson? CloudToDeviceMethod { get; set; }

    /// <summary>When to start, ISO 8601; default now.</summary>
    public string? StartTime { get; set; }

    /// <summary>How long the job may run; default 3600.</summary>
    public double? MaxExecutionTimeInSeconds { get; set; }

    /// <summary>Beyond IoT Hub: the fraction of devices (0 to 1) that may fail before the job stops and rolls back.</summary>
    public double? FailureThreshold { get; set; }
}
