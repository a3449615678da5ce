namespace DeviceFabric.Configurations;

/// <summary>
/// Owned configurations (<see cref="IOwnedConfigurationsGrain"/>): an owner's whole set replaced in one write, so twins
/// never see half of a change (a deployment's new wave and its cancel, say), and only the ids that changed are told.
/// </summary>
internal sealed partial class ConfigurationsGrain
{
    private static readonly IReadOnlyDictionary<string, string> s_none = new Dictionary<string, string>();

    public async Task SetOwnedAsync(string owner, IReadOnlyList<OwnedConfiguration> configurations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configurations);
        var prefix = owner + "/";
        var current = state.State.Configurations.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        var now = clock.Time.GetUtcNow();
        var next = new Dictionary<string, ConfigurationDefinition>(StringComparer.Ordinal);
        var counter = state.State.ETagCounter;
        foreach (var configuration in configurations)
        {
            if (!configuration.Id.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Owned configuration {configuration.Id} does not start with {prefix}.", nameof(configurations));
            }

            current.TryGetValue(configuration.Id, out var existing);
            if (existing is not null && Same(existing, configuration))
            {
                next[configuration.Id] = existing;
                continue;
            }

            var definition = new ConfigurationDefinition(
                configuration.Id,
                s_none,
                new ConfigurationContent(configuration.DeviceContent, s_none, new Dictionary<string, IReadOnlyDictionary<string, string>>()),
                configuration.TargetCondition,
                configuration.Priority,
                s_none,
                existing?.CreatedTime ?? now,
                now,
                Devices.ETags.FromVersion(++counter),
                new ConfigurationMetrics(s_none, new Dictionary<string, long>(), new Dictionary<string, long>(), default),
                configuration.Rollout,
                configuration.Selector);

            // Checked as the twins will compile it: a condition or content they could not apply is refused here.
            CompiledConfiguration.Of(definition);
            next[configuration.Id] = definition;
        }

        var changed = current.Keys.Union(next.Keys)
            .Where(id => !current.TryGetValue(id, out var before) || !next.TryGetValue(id, out var after) || !ReferenceEquals(before, after))
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }

        await SaveAsync(
            all =>
            {
                foreach (var id in current.Keys)
                {
                    all.Remove(id);
                }

                foreach (var (id, definition) in next)
                {
                    all[id] = definition;
                }
            },
            cancellationToken);
        LogChanged(logger, Hub, owner, $"set ({changed.Count} changed)");
        await TellShardsAsync(changed);
    }

    private static bool Same(ConfigurationDefinition existing, OwnedConfiguration wanted) =>
        existing.TargetCondition == wanted.TargetCondition
        && existing.Priority == wanted.Priority
        && existing.Rollout == wanted.Rollout
        && (existing.Selector is null ? wanted.Selector is null : existing.Selector.Same(wanted.Selector))
        && SameMaps.Equal(existing.Content.DeviceContent, wanted.DeviceContent);
}
