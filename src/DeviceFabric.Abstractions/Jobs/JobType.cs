namespace DeviceFabric.Jobs;

/// <summary>What a job does to each device it targets, as IoT Hub's <c>type</c>.</summary>
public enum JobType
{
    /// <summary>Merges a twin patch (tags and desired properties) into each device's twin.</summary>
    ScheduleUpdateTwin,

    /// <summary>Calls a direct method on each device.</summary>
    ScheduleDeviceMethod,
}
