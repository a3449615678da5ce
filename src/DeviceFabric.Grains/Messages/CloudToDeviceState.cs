namespace DeviceFabric.Messages;

/// <summary>A device's cloud-to-device queue as stored. Ids are append only.</summary>
[GenerateSerializer, Alias("devicefabric.CloudToDeviceState")]
public sealed class CloudToDeviceState
{
    [Id(0)] public List<QueuedMessage> Messages { get; set; } = [];
}

/// <summary>A waiting message: its id and expiry are always set; the delivery count survives restarts.</summary>
[GenerateSerializer, Alias("devicefabric.QueuedMessage")]
public sealed class QueuedMessage
{
    [Id(0)] public CloudToDeviceMessage Message { get; set; } = null!;

    [Id(1)] public DateTimeOffset EnqueuedTime { get; set; }

    [Id(2)] public int DeliveryCount { get; set; }

    public string MessageId => Message.MessageId!;
}
