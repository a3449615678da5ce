namespace DeviceFabric.Registry;

/// <summary>IoT Hub's kinds of query result (<c>x-ms-item-type</c>); the names are the wire values.</summary>
public enum QueryItemType
{
    /// <summary>Whole device twins (<c>SELECT * FROM devices</c>).</summary>
    Twin,

    /// <summary>Per-device job rows (<c>FROM devices.jobs</c>).</summary>
    DeviceJob,

    /// <summary>Job descriptions (the jobs query).</summary>
    JobResponse,

    /// <summary>Projections and aggregates.</summary>
    Raw,
}
