namespace DeviceFabric.Jobs;

/// <summary>One device's row in a job: its status, the method's answer or the error, and what a twin patch replaced.</summary>
[GenerateSerializer, Alias("devicefabric.DeviceJobRow")]
public sealed class DeviceJobRow
{
    [Id(0)] public string DeviceId { get; set; } = string.Empty;

    [Id(1)] public DeviceJobStatus Status { get; set; }

    [Id(2)] public DateTimeOffset? StartTime { get; set; }

    [Id(3)] public DateTimeOffset? EndTime { get; set; }

    [Id(4)] public int? MethodStatus { get; set; }

    [Id(5)] public string? MethodPayload { get; set; }

    [Id(6)] public string? ErrorCode { get; set; }

    [Id(7)] public string? ErrorDescription { get; set; }

    /// <summary>For twin updates: a patch restoring what this job's patch replaced. For rollbacks: the patch to apply.</summary>
    [Id(8)] public string? Patch { get; set; }
}
