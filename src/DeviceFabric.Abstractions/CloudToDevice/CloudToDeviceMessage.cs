namespace DeviceFabric.CloudToDevice;

/// <summary>A cloud-to-device message as a sender gives it.</summary>
/// <param name="Body">The body, at most 64 KB.</param>
/// <param name="MessageId">The message id; generated when null.</param>
/// <param name="CorrelationId">Correlates a reply with this message.</param>
/// <param name="UserId">The sender's id, as the sender says.</param>
/// <param name="Ack">Which outcomes to report back.</param>
/// <param name="ExpiresAt">When the message expires undelivered; default one hour from now, at most 48 hours.</param>
/// <param name="ContentType">The body's content type.</param>
/// <param name="ContentEncoding">The body's content encoding.</param>
/// <param name="Properties">Application properties, delivered in the topic's property bag.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.CloudToDeviceMessage")]
public sealed record CloudToDeviceMessage(
    [property: Id(0)] byte[] Body,
    [property: Id(1)] string? MessageId = null,
    [property: Id(2)] string? CorrelationId = null,
    [property: Id(3)] string? UserId = null,
    [property: Id(4)] FeedbackRequest Ack = FeedbackRequest.None,
    [property: Id(5)] DateTimeOffset? ExpiresAt = null,
    [property: Id(6)] string? ContentType = null,
    [property: Id(7)] string? ContentEncoding = null,
    [property: Id(8)] IReadOnlyDictionary<string, string>? Properties = null)
{
    /// <summary>The largest body IoT Hub accepts.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The most messages waiting for one device.</summary>
    public const int MaxQueueDepth = 50;

    /// <summary>The most delivery attempts before a message is dead-lettered.</summary>
    public const int MaxDeliveryCount = 10;

    /// <summary>How long a message lives by default.</summary>
    public static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromHours(1);

    /// <summary>The longest a message may live.</summary>
    public static readonly TimeSpan MaxTimeToLive = TimeSpan.FromHours(48);
}
