namespace DeviceFabric.CloudToDevice;

/// <summary>A waiting message: its id and expiry are always set; the delivery count survives restarts.</summary>
[GenerateSerializer, Alias("devicefabric.QueuedMessage")]
public sealed class QueuedMessage
{
    [Id(0)] public CloudToDeviceMessage Message { get; set; } = null!;

    [Id(1)] public DateTimeOffset EnqueuedTime { get; set; }

    [Id(2)] public int DeliveryCount { get; set; }

    public string MessageId => Message.MessageId!;
}
