using System.ComponentModel.DataAnnotations;

namespace DeviceFabric.Hubs;

/// <summary>The hub a fabric serves: its name (which scopes every grain key) and the host name clients use.</summary>
public sealed class HubOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Hub";

    /// <summary>The hub's name; it prefixes every device grain key, so never change it once devices exist. Default: <c>devicefabric</c>.</summary>
    [Required, RegularExpression("^[a-z0-9][a-z0-9-]{0,49}$", ErrorMessage = "Hub:Name must be 1-50 lower-case letters, digits or '-'.")]
    public string Name { get; set; } = "devicefabric";

    /// <summary>The host name devices and services put in connection strings and tokens. Default: <c>localhost</c>.</summary>
    [Required]
    public string HostName { get; set; } = "localhost";

    /// <summary>Clock skew allowed when checking a token's expiry. Default: 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TokenClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The hub a token's host names. A host that is not this hub's maps to it anyway (the design's default-hub rule);
    /// the signature check still has to pass with this hub's keys.
    /// </summary>
    public string ResolveHub(string host) => Name;
}
