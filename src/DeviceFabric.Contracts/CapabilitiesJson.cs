namespace DeviceFabric.Contracts;

/// <summary>What a device can do.</summary>
public sealed class CapabilitiesJson
{
    /// <summary>Whether the device is an IoT Edge device.</summary>
    public bool IotEdge { get; set; }
}
