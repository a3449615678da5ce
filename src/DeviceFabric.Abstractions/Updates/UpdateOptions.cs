namespace DeviceFabric.Updates;

/// <summary>Where imported updates' files are kept (<c>DeviceFabric:Updates</c>).</summary>
public sealed class UpdateOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Updates";

    /// <summary>
    /// The directory of update files, one per content (named by its SHA-256, so two updates sharing a file store it
    /// once). Default: <c>updates</c> in the node's data directory. A cluster's silos must share it.
    /// </summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>
    /// Where devices download update files from: <c>https://host:port</c>. Default: the hub's host name and the node's
    /// HTTPS port. Set it when devices reach the fabric through another name (a load balancer).
    /// </summary>
    public string DownloadBaseUrl { get; set; } = string.Empty;

    /// <summary>How long the file URLs a deployment gives devices stay valid. Default: a year.</summary>
    public TimeSpan DownloadUrlLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How often an active deployment counts its devices and decides on waves and rollback. Default: 5 s.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a released device that has not reported yet holds the next wave back while offline, counted from its
    /// wave's release or the node's start (devices take a while to reconnect after a restart). A connected device that
    /// has not reported holds it back always. Default: 2 minutes.
    /// </summary>
    public TimeSpan OfflineGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The node's HTTPS port, for the default <see cref="DownloadBaseUrl"/> (set from the node's options).</summary>
    public int HttpsPort { get; set; } = 443;

    /// <inheritdoc/>
    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (StatusInterval < TimeSpan.FromMilliseconds(100))
        {
            yield return new("StatusInterval must be at least 100 ms.", [nameof(StatusInterval)]);
        }

        if (OfflineGrace < TimeSpan.Zero || OfflineGrace > TimeSpan.FromDays(1))
        {
            yield return new("OfflineGrace must be between 0 and a day.", [nameof(OfflineGrace)]);
        }

        if (DownloadUrlLifetime < TimeSpan.FromHours(1))
        {
            yield return new("DownloadUrlLifetime must be at least an hour.", [nameof(DownloadUrlLifetime)]);
        }

        if (DownloadBaseUrl.Length > 0 && !(Uri.TryCreate(DownloadBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            yield return new("DownloadBaseUrl must be an absolute https URL.", [nameof(DownloadBaseUrl)]);
        }
    }

    /// <summary>The most updates a hub keeps.</summary>
    public const int MaxUpdates = 500;
}
