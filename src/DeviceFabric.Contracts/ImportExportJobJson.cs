using System.Text.Json.Serialization;

namespace DeviceFabric.Contracts;

/// <summary>
/// IoT Hub's import/export job (<c>JobProperties</c>): the body of <c>POST /jobs/create</c> and what <c>GET /jobs/{id}</c>
/// answers. Beyond IoT Hub: <c>type</c> <c>migrate</c> with <c>targetHub</c>, <c>deviceId</c> or <c>queryCondition</c>
/// and <c>includeReported</c>; and the counts and first errors of the run.
/// </summary>
public sealed class ImportExportJobJson
{
    /// <summary>The job's id; the fabric makes one when a create leaves it out.</summary>
    public string? JobId { get; set; }

    /// <summary><c>import</c>, <c>export</c> or <c>migrate</c>.</summary>
    public string? Type { get; set; }

    /// <summary><c>enqueued</c>, <c>running</c>, <c>completed</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Percent done.</summary>
    public int? Progress { get; set; }

    /// <summary>When it started.</summary>
    public DateTime? StartTimeUtc { get; set; }

    /// <summary>When it ended.</summary>
    public DateTime? EndTimeUtc { get; set; }

    /// <summary>Why it failed.</summary>
    public string? FailureReason { get; set; }

    /// <summary>The folder devices are imported from: a <c>file:</c> URI or a path inside the node's transfer directory.</summary>
    public string? InputBlobContainerUri { get; set; }

    /// <summary>The folder an export writes to, or an import's <c>importErrors.log</c>.</summary>
    public string? OutputBlobContainerUri { get; set; }

    /// <summary>The import file's name; default <c>devices.txt</c>.</summary>
    public string? InputBlobName { get; set; }

    /// <summary>The export file's name; default <c>devices.txt</c>.</summary>
    public string? OutputBlobName { get; set; }

    /// <summary>Export keys as null.</summary>
    public bool? ExcludeKeysInExport { get; set; }

    /// <summary><c>keyBased</c> only: the fabric reads its own disk, with no identity to borrow.</summary>
    public string? StorageAuthenticationType { get; set; }

    /// <summary>Beyond IoT Hub (migrate): the hub the devices move to, by name or host name.</summary>
    public string? TargetHub { get; set; }

    /// <summary>Beyond IoT Hub (migrate): the one device to move.</summary>
    public string? DeviceId { get; set; }

    /// <summary>Beyond IoT Hub (migrate): the devices to move, as a WHERE condition over devices.</summary>
    public string? QueryCondition { get; set; }

    /// <summary>Beyond IoT Hub (migrate): move reported properties too.</summary>
    public bool? IncludeReported { get; set; }

    /// <summary>Beyond IoT Hub: devices or lines handled.</summary>
    public long? DevicesSucceeded { get; set; }

    /// <summary>Beyond IoT Hub: devices or lines that failed.</summary>
    public long? DevicesFailed { get; set; }

    /// <summary>Beyond IoT Hub: the first failures.</summary>
    public List<ImportExportErrorJson>? Errors { get; set; }
}

/// <summary>One failure of an import/export job, as a line of <c>importErrors.log</c>.</summary>
public sealed class ImportExportErrorJson
{
    /// <summary>The import file's line, 1-based; left out for a device of an export or migration.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Line { get; set; }

    /// <summary>The device, when the line named one.</summary>
    public string? DeviceId { get; set; }

    /// <summary>IoT Hub's numeric error code.</summary>
    public int ErrorCode { get; set; }

    /// <summary>Why.</summary>
    public string? ErrorStatus { get; set; }
}
