namespace DeviceFabric.Alerts;

/// <summary>A hub's alert rules. Key: the hub name. Writes return once stored.</summary>
[Alias("devicefabric.IAlertRulesGrain")]
public interface IAlertRulesGrain : IGrainWithStringKey
{
    /// <summary>The most rules a hub has.</summary>
    public const int MaxRules = 100;

    /// <summary>Creates or replaces a rule; fails with <see cref="DeviceFabricErrorCode.ArgumentInvalid"/> naming the bad field.</summary>
    Task<AlertRule> PutAsync(AlertRule rule, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Deletes a rule; fails with <see cref="DeviceFabricErrorCode.AlertRuleNotFound"/>.</summary>
    Task DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The rules as last stored and their version (which grows with every change), for evaluators and listings.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<AlertRuleSet> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>A hub's rules at one version.</summary>
/// <param name="Version">Grows with every change.</param>
/// <param name="Rules">The rules, by id.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.AlertRuleSet")]
public sealed record AlertRuleSet([property: Id(0)] long Version, [property: Id(1)] IReadOnlyList<AlertRule> Rules);
