namespace DeviceFabric.CloudToDevice;

/// <summary>Which outcomes of a cloud-to-device message the sender wants feedback on (<c>iothub-ack</c>).</summary>
public enum FeedbackRequest
{
    /// <summary>No feedback (the default).</summary>
    None = 0,

    /// <summary>Feedback when the device completes the message.</summary>
    Positive = 1,

    /// <summary>Feedback when the message expires, exceeds its delivery count or is purged.</summary>
    Negative = 2,

    /// <summary>Both.</summary>
    Full = 3,
}
