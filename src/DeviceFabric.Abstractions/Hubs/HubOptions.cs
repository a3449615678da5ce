using System.ComponentModel.DataAnnotations;

namespace DeviceFabric.Hubs;

/// <summary>
/// The hubs a fabric serves (<c>DeviceFabric:Hubs</c>, the first being the default) and the clock skew its tokens are
/// allowed. Each hub has its own registry, policies and keys; the host a client names selects the hub.
/// </summary>
public sealed class HubOptions : IValidatableObject
{
    /// <summary>The configuration section these options bind to (they read <c>Hubs</c> and <c>TokenClockSkew</c> of it).</summary>
    public const string SectionName = "DeviceFabric";

    /// <summary>The hub a fabric serves when none is configured.</summary>
    public static readonly HubDefinition Fallback = new() { Name = "devicefabric", HostName = "localhost" };

    /// <summary>The hubs, the first the default. Empty means the one hub <c>devicefabric</c> at <c>localhost</c>.</summary>
    public List<HubDefinition> Hubs { get; set; } = [];

    /// <summary>Clock skew allowed when checking a token's expiry. Default: 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TokenClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Every hub the fabric serves.</summary>
    public IReadOnlyList<HubDefinition> All => Hubs.Count > 0 ? Hubs : [Fallback];

    /// <summary>The default hub: the first configured.</summary>
    public HubDefinition Default => All[0];

    /// <summary>
    /// The hub a client's host names (the MQTT username's host, a token's <c>sr</c> host), in any case and without its
    /// port. A host that is no hub's maps to the default hub (the design's default-hub rule); the signature check still
    /// needs that hub's keys.
    /// </summary>
    public string ResolveHub(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = WithoutPort(host);
        foreach (var hub in All)
        {
            if (name.Equals(hub.HostName, StringComparison.OrdinalIgnoreCase))
            {
                return hub.Name;
            }
        }

        return Default.Name;
    }

    /// <summary>
    /// A host as clients write it without its port: the SDKs put <c>host:port</c> in the username and the token's
    /// <c>sr</c> when the connection string names a port.
    /// </summary>
    private static ReadOnlySpan<char> WithoutPort(string host)
    {
        var colon = host.LastIndexOf(':');
        var bracket = host.LastIndexOf(']');
        return colon > bracket && colon > 0 && host.AsSpan(colon + 1).IndexOfAnyExceptInRange('0', '9') < 0 ? host.AsSpan(0, colon) : host;
    }

    /// <summary>The hub called <paramref name="name"/>, if the fabric serves it.</summary>
    public HubDefinition? Find(string name) => All.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.Ordinal));

    /// <summary>Each hub valid, and no name or host name used twice.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Hubs.Count; i++)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(Hubs[i], new ValidationContext(Hubs[i]), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult($"Hubs:{i}: {result.ErrorMessage}", [nameof(Hubs)]);
            }
        }

        foreach (var name in Hubs.GroupBy(h => h.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            yield return new ValidationResult($"Hubs: the name '{name}' is used twice.", [nameof(Hubs)]);
        }

        foreach (var host in Hubs.GroupBy(h => h.HostName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            yield return new ValidationResult($"Hubs: the host name '{host}' is used twice.", [nameof(Hubs)]);
        }
    }
}
