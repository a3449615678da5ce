using DeviceFabric.Query;

namespace DeviceFabric.Configurations;

/// <summary>
/// A hub's configurations at one version, compiled once per silo for the twins that apply them: conditions parsed,
/// content as paths, grouped by what they target.
/// </summary>
internal sealed class ConfigurationCatalog
{
    public static readonly ConfigurationCatalog Empty = new(0, []);

    public ConfigurationCatalog(long version, IReadOnlyList<ConfigurationDefinition> definitions)
    {
        Version = version;
        // A stored configuration that no longer compiles (a rule tightened since) is left out, not the whole hub's.
        var compiled = definitions.Select(CompiledConfiguration.TryOf).OfType<CompiledConfiguration>().ToList();
        ById = compiled.ToDictionary(c => c.Definition.Id, StringComparer.Ordinal);
        Device = compiled.Where(c => c.Kind == ConfigurationKind.Device).ToList();
        Module = compiled.Where(c => c.Kind == ConfigurationKind.Module).ToList();
        Edge = compiled.Where(c => c.Kind == ConfigurationKind.EdgeDeployment).ToList();

        // Asked on every twin write: worked out once per catalog, not per write.
        _deviceReads = Reads(Device.Concat(Edge));
        _moduleReads = Reads(Module);
    }

    private readonly (bool Tags, bool Reported, bool Desired) _deviceReads;
    private readonly (bool Tags, bool Reported, bool Desired) _moduleReads;

    public long Version { get; }

    public IReadOnlyDictionary<string, CompiledConfiguration> ById { get; }

    /// <summary>Configurations of device twins (<c>deviceContent</c>).</summary>
    public IReadOnlyList<CompiledConfiguration> Device { get; }

    /// <summary>Configurations of module twins (<c>moduleContent</c>).</summary>
    public IReadOnlyList<CompiledConfiguration> Module { get; }

    /// <summary>IoT Edge deployments (<c>modulesContent</c>), whose conditions are on device twins.</summary>
    public IReadOnlyList<CompiledConfiguration> Edge { get; }

    /// <summary>
    /// Whether a device twin's write of the given sections may change which configurations or deployments target it
    /// (the twin does not know whether its device is an edge device, so deployments count too).
    /// </summary>
    public bool DeviceTwinMayChange(bool tags, bool reported, bool desired) => MayChange(_deviceReads, tags, reported, desired);

    /// <summary>Whether a module twin's write of the given sections may change which module configurations target it.</summary>
    public bool ModuleTwinMayChange(bool tags, bool reported, bool desired) => MayChange(_moduleReads, tags, reported, desired);

    private static bool MayChange((bool Tags, bool Reported, bool Desired) reads, bool tags, bool reported, bool desired) =>
        (tags && reads.Tags) || (reported && reads.Reported) || (desired && reads.Desired);

    private static (bool Tags, bool Reported, bool Desired) Reads(IEnumerable<CompiledConfiguration> configurations)
    {
        var list = configurations.ToList();
        return (list.Any(c => c.NamesTags), list.Any(c => c.NamesReported), list.Any(c => c.NamesDesired));
    }
}

/// <summary>One configuration, compiled.</summary>
internal sealed record CompiledConfiguration(
    ConfigurationDefinition Definition,
    ConfigurationKind Kind,
    QueryExpression? Condition,
    CompiledContent Content,
    bool NamesTags,
    bool NamesReported,
    bool NamesDesired)
{
    public static CompiledConfiguration Of(ConfigurationDefinition definition)
    {
        var kind = definition.Content.Kind;
        var condition = definition.TargetCondition;
        return new CompiledConfiguration(
            definition,
            kind,
            ConfigurationRules.ParseTarget(condition, kind, "targetCondition"),
            ConfigurationRules.Compile(definition.Content),
            condition.Contains("tags", StringComparison.OrdinalIgnoreCase) || definition.Selector is not null,
            condition.Contains("reported", StringComparison.OrdinalIgnoreCase) || definition.Selector is not null,
            condition.Contains("desired", StringComparison.OrdinalIgnoreCase));
    }

    public static CompiledConfiguration? TryOf(ConfigurationDefinition definition)
    {
        try
        {
            return Of(definition);
        }
        catch (DeviceFabricException)
        {
            return null;
        }
    }

    public bool Matches(System.Text.Json.Nodes.JsonObject document) =>
        (Condition is null || Condition.IsTrue(document))
        && (Definition.Selector is null || Updates.UpdateSelection.Matches(Definition.Selector, document))
        && (Definition.Rollout is null || (document["deviceId"]?.GetValue<string>() is { } deviceId && Definition.Rollout.Releases(deviceId)));

    /// <summary>As a candidate for a twin, with the paths it offers that twin.</summary>
    public ContentCandidate Candidate(IReadOnlyList<ContentPath> paths) =>
        new(Definition.Id, Definition.Priority, Definition.CreatedTime, paths);
}
