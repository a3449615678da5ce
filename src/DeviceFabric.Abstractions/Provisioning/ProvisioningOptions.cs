using System.ComponentModel.DataAnnotations;

namespace DeviceFabric.Provisioning;

/// <summary>The provisioning service's settings (<c>DeviceFabric:Provisioning</c>).</summary>
public sealed class ProvisioningOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Provisioning";

    /// <summary>The ID scope, if it must be a given one; by default the first run makes one (<c>0ne</c> and 8 hex digits) and keeps it.</summary>
    [RegularExpression("^0ne[0-9A-Fa-f]{8}$", ErrorMessage = "Provisioning:IdScope must be '0ne' followed by 8 hex digits.")]
    public string? IdScope { get; set; }

    /// <summary>The host name in the provisioning connection string (service SDKs) and that devices register at. Default: the default hub's.</summary>
    public string? HostName { get; set; }

    /// <summary>How long a register request waits for its assignment before it is answered "assigning, poll again". Default: 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:25")]
    public TimeSpan AnswerWithin { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The <c>retry-after</c> a device is told while its assignment is still running. Default: 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a custom allocation webhook may take before the registration fails. Default: 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan CustomAllocationTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
