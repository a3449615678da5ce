using System.ComponentModel.DataAnnotations;

namespace DeviceFabric.Hubs;

/// <summary>One hub of the fabric: its name (which scopes every grain key) and the host name its clients use.</summary>
public sealed class HubDefinition
{
    /// <summary>The hub's name; it prefixes every grain key of the hub, so never change it once devices exist.</summary>
    [Required, RegularExpression("^[a-z0-9][a-z0-9-]{0,49}$", ErrorMessage = "a hub's Name must be 1-50 lower-case letters, digits or '-'.")]
    public string Name { get; set; } = string.Empty;

    /// <summary>The host name devices and services put in connection strings and tokens (and the server certificate covers).</summary>
    [Required(ErrorMessage = "a hub needs a HostName.")]
    public string HostName { get; set; } = string.Empty;

    /// <summary>Its share of the devices the provisioning service allocates by hash, against the other hubs'. Default: 1.</summary>
    [Range(1, 1000, ErrorMessage = "a hub's AllocationWeight must be 1 to 1000.")]
    public int AllocationWeight { get; set; } = 1;

    /// <summary>How long the hub's telemetry log keeps a message (IoT Hub keeps one to seven days). Default: one day.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "a hub's TelemetryRetention must be 1 minute to 7 days.")]
    public TimeSpan TelemetryRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The most each partition of the hub's telemetry log holds before its oldest messages go. Default: 1 GiB.</summary>
    [Range(1L << 20, 1L << 40, ErrorMessage = "a hub's TelemetryPartitionBytes must be 1 MiB to 1 TiB.")]
    public long TelemetryPartitionBytes { get; set; } = 1L << 30;
}
