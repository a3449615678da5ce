using System.ComponentModel.DataAnnotations;

namespace DeviceFabric.Storage.Telemetry;

/// <summary>Where the hubs' telemetry logs live: files in the data directory (one node) or NATS JetStream (a cluster).</summary>
public sealed class TelemetryLogOptions : IValidatableObject
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Telemetry";

    /// <summary><c>Embedded</c> (FASTER logs under the data directory) or <c>Nats</c> (JetStream streams). Default: <c>Embedded</c>.</summary>
    public TelemetryLogMode Log { get; set; } = TelemetryLogMode.Embedded;

    /// <summary>The embedded logs' directory; empty is <c>telemetry</c> under the data directory. Default: empty.</summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>NATS servers (comma-separated URLs) for <see cref="TelemetryLogMode.Nats"/>. Default: <c>nats://127.0.0.1:4222</c>.</summary>
    public string NatsUrl { get; set; } = "nats://127.0.0.1:4222";

    /// <summary>Prefix of the JetStream stream names and subjects, so several fabrics can share one NATS. Default: <c>devicefabric</c>.</summary>
    [Required, RegularExpression("^[A-Za-z0-9_-]{1,32}$", ErrorMessage = "DeviceFabric:Telemetry:NatsPrefix must be 1-32 letters, digits, '_' or '-'.")]
    public string NatsPrefix { get; set; } = "devicefabric";

    /// <summary>JetStream replicas of each stream (1 on a single NATS server, 3 on a NATS cluster). Default: 1.</summary>
    [Range(1, 5)]
    public int NatsReplicas { get; set; } = 1;

    /// <summary>How often each partition's retention is applied. Default: one minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Log == TelemetryLogMode.Nats && NatsUrl.Split(',').Any(u => !Uri.TryCreate(u.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("nats" or "tls")))
        {
            yield return new ValidationResult("DeviceFabric:Telemetry:NatsUrl must be nats:// or tls:// URLs, separated by commas.", [nameof(NatsUrl)]);
        }
    }
}

/// <summary>Where telemetry logs live.</summary>
public enum TelemetryLogMode
{
    /// <summary>FASTER logs in the node's data directory: one node.</summary>
    Embedded,

    /// <summary>NATS JetStream: any number of silos share the logs.</summary>
    Nats,
}
