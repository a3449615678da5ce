using System.Text.Json.Nodes;

namespace DeviceFabric.Contracts;

/// <summary>
/// A job, as IoT Hub's <c>JobResponse</c> (<c>GET /jobs/v2/{id}</c>, the jobs query). The fabric composes it in one
/// place for REST and queries alike; this type is its shape, for clients and the OpenAPI document.
/// </summary>
public sealed class JobResponseJson
{
    /// <summary>The job's id.</summary>
    public string? JobId { get; set; }

    /// <summary>The condition that picked its devices.</summary>
    public string? QueryCondition { get; set; }

    /// <summary>When it was accepted, UTC.</summary>
    public DateTime CreatedTime { get; set; }

    /// <summary>When it starts or started, UTC.</summary>
    public DateTime StartTime { get; set; }

    /// <summary>When it ended, UTC, once it has.</summary>
    public DateTime? EndTime { get; set; }

    /// <summary>How long it may run.</summary>
    public long MaxExecutionTimeInSeconds { get; set; }

    /// <summary><c>scheduleUpdateTwin</c> or <c>scheduleDeviceMethod</c>.</summary>
    public string? Type { get; set; }

    /// <summary><c>scheduled</c>, <c>running</c>, <c>completed</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Why it failed, if it did.</summary>
    public string? FailureReason { get; set; }

    /// <summary>A note on its state, if any.</summary>
    public string? StatusMessage { get; set; }

    /// <summary>Its devices by state.</summary>
    public DeviceJobStatisticsJson? DeviceJobStatistics { get; set; }

    /// <summary>The method of a method job.</summary>
    public CloudToDeviceMethodJson? CloudToDeviceMethod { get; set; }

    /// <summary>The patch of a twin-update job.</summary>
    public JsonObject? UpdateTwin { get; set; }

    /// <summary>The job this one rolls back, if it is a rollback.</summary>
    public string? ParentJobId { get; set; }

    /// <summary>The job that rolls this one back, once there is one.</summary>
    public string? RollbackJobId { get; set; }

    /// <summary>The failure threshold it was given, if any.</summary>
    public double? FailureThreshold { get; set; }
}
