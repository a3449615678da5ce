namespace DeviceFabric.Contracts.Provisioning;

/// <summary>DPS's error body (<c>ProvisioningServiceErrorDetails</c>): the numeric code (HTTP status times 1000 plus a detail) and a message.</summary>
public sealed class ProvisioningErrorJson
{
    /// <summary>The numeric code, e.g. 401002.</summary>
    public int ErrorCode { get; set; }

    /// <summary>An id for this failure.</summary>
    public string? TrackingId { get; set; }

    /// <summary>What went wrong.</summary>
    public string? Message { get; set; }

    /// <summary>When, UTC.</summary>
    public string? TimestampUtc { get; set; }
}
