using System.Text.Json.Nodes;

namespace DeviceFabric.Contracts;

/// <summary>A twin's properties: each section holds the properties, <c>$version</c> and (not in queries) <c>$metadata</c>.</summary>
public sealed class TwinPropertiesJson
{
    /// <summary>What the service wants, written by the service.</summary>
    public JsonObject? Desired { get; set; }

    /// <summary>What the device reports, written by the device.</summary>
    public JsonObject? Reported { get; set; }
}
