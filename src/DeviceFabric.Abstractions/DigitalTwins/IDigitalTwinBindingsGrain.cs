namespace DeviceFabric.DigitalTwins;

/// <summary>
/// Which devices keep which digital twins up to date: rules (devices that announce a Plug and Play model id get the
/// twin a pattern names, made when missing) and bindings of one device to one twin, which win over rules. Key: the hub.
/// </summary>
[Alias("devicefabric.IDigitalTwinBindingsGrain")]
public interface IDigitalTwinBindingsGrain : IGrainWithStringKey
{
    /// <summary>The most rules and device bindings a hub keeps.</summary>
    public const int MaxRules = 100;

    /// <summary>The most one-by-one device bindings a hub keeps.</summary>
    public const int MaxDeviceBindings = 100_000;

    /// <summary>Creates or replaces a rule.</summary>
    Task<DigitalTwinBindingRule> PutRuleAsync(string ruleId, DigitalTwinBindingRule rule, CancellationToken cancellationToken = default);

    /// <summary>Deletes a rule.</summary>
    Task DeleteRuleAsync(string ruleId, CancellationToken cancellationToken = default);

    /// <summary>Binds one device to one twin.</summary>
    Task BindDeviceAsync(string deviceId, string twinId, CancellationToken cancellationToken = default);

    /// <summary>Removes a device's own binding (rules may still bind it).</summary>
    Task UnbindDeviceAsync(string deviceId, CancellationToken cancellationToken = default);

    /// <summary>The rules and bindings as stored, or only the version when the caller holds <paramref name="knownVersion"/>.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<DigitalTwinBindings> GetBindingsAsync(long knownVersion, CancellationToken cancellationToken = default);
}

/// <summary>A rule: a device announcing <paramref name="ModelId"/> keeps the twin <paramref name="TwinIdPattern"/> names up to date.</summary>
/// <param name="RuleId">The rule's id.</param>
/// <param name="ModelId">The device's Plug and Play model id, and the twin's model.</param>
/// <param name="TwinIdPattern">The twin's id, with <c>{deviceId}</c> standing for the device's.</param>
/// <param name="CreateTwins">Make the twin (of the model, components empty) when it does not exist.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DigitalTwinBindingRule")]
public sealed record DigitalTwinBindingRule(
    [property: Id(0)] string RuleId,
    [property: Id(1)] string ModelId,
    [property: Id(2)] string TwinIdPattern,
    [property: Id(3)] bool CreateTwins)
{
    /// <summary>The twin a device of this rule keeps.</summary>
    public string TwinIdOf(string deviceId) => TwinIdPattern.Replace("{deviceId}", deviceId, StringComparison.Ordinal);
}

/// <summary>A hub's rules and device bindings at one version.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.DigitalTwinBindings")]
public sealed record DigitalTwinBindings(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<DigitalTwinBindingRule>? Rules,
    [property: Id(2)] IReadOnlyDictionary<string, string>? Devices);
