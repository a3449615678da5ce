using DeviceFabric.Registry;

namespace DeviceFabric.Alerts;

/// <summary>
/// An evaluator's view of its hub's rules of one source, re-read when their version changes (checked at most once a
/// second, so a rule applies within a second of being stored), and of each rule's target devices (re-matched against the registry every 30 s).
/// </summary>
internal sealed class AlertRuleCache(IGrainFactory grains, string hub, AlertSource source, AlertEngine engine, TimeProvider time)
{
    private static readonly TimeSpan s_rulesCheck = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_targetsRefresh = TimeSpan.FromSeconds(30);

    private long _version = -1;
    private DateTimeOffset _rulesCheckedAt = DateTimeOffset.MinValue;
    private DateTimeOffset _targetsAt = DateTimeOffset.MinValue;
    private IReadOnlyList<CompiledRule> _rules = [];
    private Dictionary<string, HashSet<string>> _targets = [];

    /// <summary>The enabled rules of the source, current to within the check period.</summary>
    public async Task<IReadOnlyList<CompiledRule>> RulesAsync()
    {
        var now = time.GetUtcNow();
        if (now - _rulesCheckedAt >= s_rulesCheck)
        {
            _rulesCheckedAt = now;
            var set = await grains.GetGrain<IAlertRulesGrain>(hub).GetAsync();
            if (set.Version != _version)
            {
                _version = set.Version;
                var previous = _rules.ToDictionary(r => r.Rule.Id, r => r.Rule.ETag);
                _rules = set.Rules.Where(r => r.Enabled && r.Source == source).Select(CompiledRule.Of).ToList();
                var current = _rules.ToDictionary(r => r.Rule.Id, r => r.Rule.ETag);

                // A deleted or changed rule starts afresh for every device (its window, detector and firing go).
                engine.Forget(id => !current.TryGetValue(id, out var etag) || (previous.TryGetValue(id, out var before) && before != etag));
                _targetsAt = DateTimeOffset.MinValue;
            }
        }

        if (_rules.Count > 0 && now - _targetsAt >= s_targetsRefresh)
        {
            _targetsAt = now;
            await RefreshTargetsAsync();
        }

        return _rules;
    }

    /// <summary>Whether the rule watches the device.</summary>
    public bool Targets(CompiledRule rule, string deviceId) =>
        rule.Target is null || (_targets.TryGetValue(rule.Rule.Id, out var devices) && devices.Contains(deviceId));

    private async Task RefreshTargetsAsync()
    {
        var targets = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var rule in _rules.Where(r => r.Target is not null))
        {
            var matches = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
                grains.GetGrain<IRegistryShardGrain>(RegistryShards.Key(hub, shard)).MatchAsync(rule.Rule.TargetCondition)));
            targets[rule.Rule.Id] = matches.SelectMany(m => m).ToHashSet(StringComparer.Ordinal);
        }

        _targets = targets;
    }
}
