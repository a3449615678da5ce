namespace DeviceFabric.CloudToDevice;

/// <summary>A feedback record, as IoT Hub's feedback batch item.</summary>
/// <param name="OriginalMessageId">The message the record is about.</param>
/// <param name="DeviceId">Its device.</param>
/// <param name="DeviceGenerationId">The device's generation.</param>
/// <param name="StatusCode">What became of it.</param>
/// <param name="EnqueuedTime">When the outcome happened.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.FeedbackRecord")]
public sealed record FeedbackRecord(
    [property: Id(0)] string OriginalMessageId,
    [property: Id(1)] string DeviceId,
    [property: Id(2)] string DeviceGenerationId,
    [property: Id(3)] FeedbackStatus StatusCode,
    [property: Id(4)] DateTimeOffset EnqueuedTime);
