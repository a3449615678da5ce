using System.ComponentModel.DataAnnotations;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// The digital twins API (<c>DeviceFabric:DigitalTwins</c>): Azure Digital Twins' data plane on its own HTTPS listener,
/// because IoT Hub's own <c>/digitaltwins/{id}</c> (the Plug and Play view of a device twin) has that path on the hub's.
/// </summary>
public sealed class DigitalTwinOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:DigitalTwins";

    /// <summary>The HTTPS port of the digital twins API (same certificate as the hub's); 0 turns it off. Default 8444.</summary>
    [Range(0, 65535)]
    public int HttpsPort { get; set; } = 8444;
}
