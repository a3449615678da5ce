using System.ComponentModel.DataAnnotations;

namespace DeviceFabric.Security;

/// <summary>How a node treats CA certificates and certificate expiry (<c>DeviceFabric:Certificates</c>).</summary>
public sealed class CertificateOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Certificates";

    /// <summary>
    /// Whether a CA certificate may be uploaded already verified (<c>isVerified: true</c>), skipping proof of possession,
    /// as IoT Hub allows its owners. Default: false, so every CA proves possession of its key.
    /// </summary>
    public bool AllowVerifiedUpload { get; set; }

    /// <summary>How long before expiry a certificate is listed as expiring and raises an event. Default: 30 days.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan ExpiryWarningWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the node looks for certificates entering the warning window. Default: 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ExpiryCheckInterval { get; set; } = TimeSpan.FromHours(1);
}
