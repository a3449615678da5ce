namespace DeviceFabric.CloudToDevice;

/// <summary>A device's cloud-to-device queue as stored. Ids are append only.</summary>
[GenerateSerializer, Alias("devicefabric.CloudToDeviceState")]
public sealed class CloudToDeviceState
{
    [Id(0)] public List<QueuedMessage> Messages { get; set; } = [];
}
