using System.ComponentModel.DataAnnotations;

namespace DeviceFabric.Silo.Hosting;

/// <summary>Where this node keeps its files and how it listens.</summary>
public sealed class NodeOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Node";

    /// <summary>Directory for the SQLite file, certificates and the owner connection string, relative to the working directory. Default: <c>data</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Address the HTTPS API (and later MQTT) listens on; <c>*</c> for every interface. Default: <c>*</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ListenAddress { get; set; } = "*";

    /// <summary>HTTPS port of the REST API; 0 picks a free one. Default: 8443.</summary>
    [Range(0, 65535)]
    public int HttpsPort { get; set; } = 8443;

    /// <summary>
    /// Also serve the REST API on this port, where the process may bind it: the Azure service SDKs always dial 443, so
    /// with it they work from the printed connection string alone. 0 turns it off; where the port cannot be bound the
    /// node says so once at start and goes on without it. Default: 443.
    /// </summary>
    [Range(0, 65535)]
    public int StandardHttpsPort { get; set; } = 443;

    /// <summary>PEM certificate (with <see cref="ServerKeyPath"/>) to serve instead of the generated development one. Default: none.</summary>
    public string? ServerCertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="ServerCertificatePath"/>. Default: none.</summary>
    public string? ServerKeyPath { get; set; }

    /// <summary>
    /// How long a stop may take before it is cut short: sessions are closed first, then the silo stores its grains'
    /// state. Default: 10 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest request body any endpoint takes; each endpoint has its own, smaller limit. Default: 1 MB.</summary>
    [Range(64 * 1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a client may take to send a request's headers (slow clients are cut off). Default: 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The data directory as an absolute path.</summary>
    public string DataPath => Path.GetFullPath(DataDirectory);
}
