using System.Text.Json.Nodes;

namespace DeviceFabric.Contracts;

/// <summary>The direct method of a <c>scheduleDeviceMethod</c> job, as IoT Hub's <c>cloudToDeviceMethod</c>.</summary>
public sealed class CloudToDeviceMethodJson
{
    /// <summary>The method to call on each device.</summary>
    public string? MethodName { get; set; }

    /// <summary>Any JSON value; absent means <c>null</c>.</summary>
    public JsonNode? Payload { get; set; }

    /// <summary>5 to 300; default 30.</summary>
    public double? ResponseTimeoutInSeconds { get; set; }

    /// <summary>0 to 300; default 0.</summary>
    public double? ConnectTimeoutInSeconds { get; set; }
}
