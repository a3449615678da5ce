namespace DeviceFabric.Contracts;

/// <summary>The answer of IoT Hub's <c>DELETE /devices/{id}/commands</c>.</summary>
public sealed class PurgeMessageQueueResultJson
{
    /// <summary>The device whose queue was purged.</summary>
    public string? DeviceId { get; set; }

    /// <summary>How many messages were waiting.</summary>
    public int TotalMessagesPurged { get; set; }
}
