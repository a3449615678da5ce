using DeviceFabric.Devices;

namespace DeviceFabric.CloudToDevice;

/// <summary>
/// A queued cloud-to-device message on its way to the device, at least once: it stays queued until the device
/// acknowledges it by its message id.
/// </summary>
/// <param name="Message">The message, with its id and expiry set.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.CloudToDeviceDelivery")]
public sealed record CloudToDeviceDelivery([property: Id(0)] CloudToDeviceMessage Message) : DeviceBoundMessage;
