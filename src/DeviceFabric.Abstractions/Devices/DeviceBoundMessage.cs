namespace DeviceFabric.Devices;

/// <summary>
/// Something the fabric sends to a connected device, as typed data: the front end holding the connection turns it into
/// its protocol's frames (MQTT topics and property bags live in <c>DeviceFabric.Mqtt/Protocol</c> alone), so a grain
/// never knows which protocol the device speaks.
/// </summary>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceBoundMessage")]
public abstract record DeviceBoundMessage;
