using System.Globalization;
using DeviceFabric.Registry;

namespace DeviceFabric.Streams;

/// <summary>
/// The Orleans streams a hub publishes to backend apps: telemetry in partitions (a device always lands in the same one,
/// so its messages stay in order) and one lifecycle stream.
/// </summary>
public static class FabricStreams
{
    /// <summary>The stream provider every silo and client registers.</summary>
    public const string ProviderName = "devicefabric";

    /// <summary>The stream namespace of telemetry partitions.</summary>
    public const string TelemetryNamespace = "telemetry";

    /// <summary>The stream namespace of cloud-to-device feedback records.</summary>
    public const string FeedbackNamespace = "feedback";

    /// <summary>The stream namespace of twin change events.</summary>
    public const string TwinChangesNamespace = "twinchanges";

    /// <summary>The stream namespace of device lifecycle events.</summary>
    public const string LifecycleNamespace = "lifecycle";

    /// <summary>The namespace of each hub's withdrawn-credential notices to front ends (key: the hub name).</summary>
    public const string CredentialsNamespace = "credentials";

    /// <summary>The namespace of each hub's security audit events (key: the hub name).</summary>
    public const string SecurityNamespace = "security";

    /// <summary>The namespace of each hub's alert firings and clearings (key: the hub name).</summary>
    public const string AlertsNamespace = "alerts";

    /// <summary>The namespace of each hub's configuration changes and counts (key: the hub name).</summary>
    public const string ConfigurationsNamespace = "configurations";

    /// <summary>The namespace of each hub's job progress stream (key: the hub name).</summary>
    public const string JobsNamespace = "jobs";

    /// <summary>Digital twin lifecycle and change events (<c>DigitalTwins.DigitalTwinEvent</c>), keyed by hub.</summary>
    public const string DigitalTwinsNamespace = "digitaltwins";

    /// <summary>Device Update deployment events (<c>Updates.UpdateDeploymentEvent</c>), keyed by hub.</summary>
    public const string UpdatesNamespace = "updates";

    /// <summary>
    /// How often an idle stream queue is polled: it bounds the delivery latency of an event that arrives after a quiet
    /// spell (Orleans' default is 100 ms). Busy queues are drained without waiting.
    /// </summary>
    public static readonly TimeSpan QueuePollPeriod = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long a delivered live event stays in a silo's stream cache at least. Orleans keeps 5 minutes by default (and
    /// up to 30), which at ten thousand messages a second holds gigabytes of telemetry no one can replay from it (a live
    /// subscription starts at the tail); what must be replayed is in the log.
    /// </summary>
    public static readonly TimeSpan LiveCacheMinTime = TimeSpan.FromSeconds(5);

    /// <summary>The oldest a cached live event may be, against the newest, before it is dropped from the cache.</summary>
    public static readonly TimeSpan LiveCacheMaxAge = TimeSpan.FromSeconds(15);

    /// <summary>Telemetry partitions per hub, as an Event Hub-compatible endpoint has partitions.</summary>
    public const int TelemetryPartitions = 8;

    /// <summary>The telemetry partition a device's messages go to.</summary>
    public static int TelemetryPartitionOf(string deviceId) => RegistryShards.ShardOf(deviceId) % TelemetryPartitions;

    /// <summary>The stream key of one telemetry partition of a hub.</summary>
    public static string TelemetryKey(string hub, int partition) =>
        string.Concat(hub, "/", partition.ToString(CultureInfo.InvariantCulture));
}
