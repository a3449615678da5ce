using System.Text.Json.Serialization;

namespace DeviceFabric.Contracts;

/// <summary>
/// IoT Hub's error body. The Node service SDK reads <c>ErrorCode:{name};</c> from <see cref="Message"/> to pick its
/// error type; the C# SDK cross-checks the <c>iothub-errorcode</c> header; the numeric fields serve everyone else.
/// </summary>
public sealed class ErrorJson
{
    /// <summary><c>ErrorCode:{name};{text}</c>.</summary>
    [JsonPropertyName("Message")]
    public string? Message { get; set; }

    /// <summary><c>Tracking ID:{id}-TimeStamp:{time}</c>.</summary>
    [JsonPropertyName("ExceptionMessage")]
    public string? ExceptionMessage { get; set; }

    /// <summary>The numeric code, e.g. 404001.</summary>
    public int ErrorCode { get; set; }

    /// <summary>An id for this failure, also in logs.</summary>
    public string? TrackingId { get; set; }

    /// <summary>When the error happened, UTC.</summary>
    public string? TimestampUtc { get; set; }
}
