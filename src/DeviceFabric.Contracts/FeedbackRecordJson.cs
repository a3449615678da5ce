namespace DeviceFabric.Contracts;

/// <summary>One cloud-to-device feedback record, as IoT Hub's feedback batch item.</summary>
public sealed class FeedbackRecordJson
{
    /// <summary>The message the record is about.</summary>
    public string? OriginalMessageId { get; set; }

    /// <summary>Its device.</summary>
    public string? DeviceId { get; set; }

    /// <summary>The device's generation.</summary>
    public string? DeviceGenerationId { get; set; }

    /// <summary><c>Success</c>, <c>Expired</c>, <c>DeliveryCountExceeded</c>, <c>Rejected</c> or <c>Purged</c>.</summary>
    public string? StatusCode { get; set; }

    /// <summary>The outcome in words.</summary>
    public string? Description { get; set; }

    /// <summary>When the outcome happened, UTC.</summary>
    public DateTime EnqueuedTimeUtc { get; set; }
}
