namespace DeviceFabric.Contracts;

/// <summary>A job's devices by state, as IoT Hub's <c>deviceJobStatistics</c>.</summary>
public sealed class DeviceJobStatisticsJson
{
    /// <summary>Every device the job targets.</summary>
    public long DeviceCount { get; set; }

    /// <summary>Devices the job failed on.</summary>
    public long FailedCount { get; set; }

    /// <summary>Devices the job succeeded on.</summary>
    public long SucceededCount { get; set; }

    /// <summary>Devices being worked on.</summary>
    public long RunningCount { get; set; }

    /// <summary>Devices not reached yet.</summary>
    public long PendingCount { get; set; }
}
