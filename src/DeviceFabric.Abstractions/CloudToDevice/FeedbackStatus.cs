namespace DeviceFabric.CloudToDevice;

/// <summary>What became of a cloud-to-device message.</summary>
public enum FeedbackStatus
{
    /// <summary>The device completed it.</summary>
    Success = 0,

    /// <summary>It expired before the device completed it.</summary>
    Expired = 1,

    /// <summary>It was delivered the maximum number of times without being completed.</summary>
    DeliveryCountExceeded = 2,

    /// <summary>The device rejected it (not possible over MQTT).</summary>
    Rejected = 3,

    /// <summary>The queue was purged.</summary>
    Purged = 4,
}
