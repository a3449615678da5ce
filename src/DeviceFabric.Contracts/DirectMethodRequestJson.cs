using System.Text.Json;

namespace DeviceFabric.Contracts;

/// <summary>The body of IoT Hub's <c>POST /twins/{id}/methods</c>.</summary>
public sealed class DirectMethodRequestJson
{
    /// <summary>The method to call.</summary>
    public string? MethodName { get; set; }

    /// <summary>Any JSON value; absent means <c>null</c>.</summary>
    public JsonElement? Payload { get; set; }

    /// <summary>5 to 300; default 30.</summary>
    public int? ResponseTimeoutInSeconds { get; set; }

    /// <summary>0 to 300; default 0 (the device must already be connected).</summary>
    public int? ConnectTimeoutInSeconds { get; set; }
}
