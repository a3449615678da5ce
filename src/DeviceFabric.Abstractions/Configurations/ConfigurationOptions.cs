using System.ComponentModel.DataAnnotations;

namespace DeviceFabric.Configurations;

/// <summary>How automatic configurations and IoT Edge deployments are kept in step (<c>DeviceFabric:Configurations</c>).</summary>
public sealed class ConfigurationOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Configurations";

    /// <summary>
    /// How often every configuration's counts are recomputed and changes announced as events (IoT Hub: five minutes).
    /// A read recomputes them when they are older than a second.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often every twin's configuration markers are checked against the target conditions, to repair a change a
    /// crash interrupted (twins are otherwise told at once when they or a configuration change).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);
}
