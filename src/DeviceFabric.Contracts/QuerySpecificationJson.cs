namespace DeviceFabric.Contracts;

/// <summary>The body of IoT Hub's <c>POST /devices/query</c>.</summary>
public sealed class QuerySpecificationJson
{
    /// <summary>The query, e.g. <c>SELECT * FROM devices WHERE tags.site = 'north'</c>.</summary>
    public string? Query { get; set; }
}
