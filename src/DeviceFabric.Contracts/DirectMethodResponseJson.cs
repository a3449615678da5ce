using System.Text.Json;

namespace DeviceFabric.Contracts;

/// <summary>The answer of IoT Hub's <c>POST /twins/{id}/methods</c>: the device's status and payload.</summary>
public sealed class DirectMethodResponseJson
{
    /// <summary>The status the device answered with.</summary>
    public int Status { get; set; }

    /// <summary>The device's payload, any JSON value (a body that was not JSON arrives as a string).</summary>
    public JsonElement Payload { get; set; }
}
