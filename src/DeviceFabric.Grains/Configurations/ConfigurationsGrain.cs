using DeviceFabric.Devices;
using DeviceFabric.Persistence;
using DeviceFabric.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Configurations;

/// <summary>
/// A hub's configurations and deployments: checked whole, stored, then announced to the registry shards, which tell
/// the twins concerned to apply them (they apply what targets them themselves, see <c>TwinGrain.Configurations.cs</c>).
/// Counts and the periodic sweep are in <c>ConfigurationsGrain.Metrics.cs</c>.
/// </summary>
internal sealed partial class ConfigurationsGrain(
    [PersistentState("configurations", GrainStorage.Name)] IPersistentState<ConfigurationsState> state,
    Hosting.GrainClock clock,
    IOptions<ConfigurationOptions> options,
    ConfigurationInstruments instruments,
    ILogger<ConfigurationsGrain> logger) : Grain, IConfigurationsGrain, IConfigurationsControlGrain, IOwnedConfigurationsGrain
{
    /// <summary>What twins read: the configurations as last stored, never a write still in flight.</summary>
    private ConfigurationCatalogSnapshot _committed = new(0, []);

    private string Hub => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _committed = new ConfigurationCatalogSnapshot(state.State.Version, [.. state.State.Configurations.Values]);
        StartTimers();
        return Task.CompletedTask;
    }

    public async Task<ConfigurationDefinition> PutAsync(string id, ConfigurationSettings settings, string? ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ConfigurationRules.ValidateId(id);
        var configurations = state.State.Configurations;
        configurations.TryGetValue(id, out var current);
        if (current is null && !string.IsNullOrEmpty(ifMatch) && ifMatch != "*")
        {
            throw NotFound(id);
        }

        if (current is not null && string.IsNullOrEmpty(ifMatch))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ConfigurationAlreadyExists, $"Configuration {id} already exists; update it with its etag in If-Match.");
        }

        if (current is not null && !ETags.Matches(ifMatch, current.ETag))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, $"Precondition failed: the etag given for configuration {id} is not its current one.");
        }

        if (current is null && configurations.Keys.Count(k => !OwnedConfigurations.IsOwned(k)) >= IConfigurationsGrain.MaxConfigurations)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.TooManyConfigurations, $"A hub holds at most {IConfigurationsGrain.MaxConfigurations} configurations.");
        }

        var content = current is null ? settings.Content : KeptContent(current, settings.Content);
        var kind = content.Kind;
        ConfigurationRules.Validate(settings with { Content = content }, creating: current is null);
        var now = clock.Time.GetUtcNow();
        var stored = new ConfigurationDefinition(
            id,
            settings.Labels,
            content,
            settings.TargetCondition.Trim(),
            settings.Priority,
            settings.MetricQueries,
            current?.CreatedTime ?? now,
            now,
            ETags.FromVersion(state.State.ETagCounter + 1),
            Metrics(id, kind, settings.TargetCondition, settings.MetricQueries, current?.Metrics));
        await SaveAsync(c => c[id] = stored, cancellationToken);
        LogChanged(logger, Hub, id, current is null ? "created" : "updated");
        await AnnounceAsync(id, current is null ? ConfigurationEventKind.Created : ConfigurationEventKind.Updated, stored.Metrics);
        await TellShardsAsync(id);
        return stored;
    }

    // Configurations other grains own (update deployments') are theirs to change: the configurations API does not show them.
    public Task<ConfigurationDefinition> GetAsync(string id, CancellationToken cancellationToken = default) =>
        !OwnedConfigurations.IsOwned(id) && state.State.Configurations.TryGetValue(id, out var configuration) ? Task.FromResult(configuration) : throw NotFound(id);

    public Task<IReadOnlyList<ConfigurationDefinition>> ListAsync(int top, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ConfigurationDefinition>>(
            [.. state.State.Configurations.Values.Where(c => !OwnedConfigurations.IsOwned(c.Id)).OrderBy(c => c.Id, StringComparer.Ordinal)
                .Take(Math.Clamp(top, 1, IConfigurationsGrain.MaxConfigurations))]);

    public async Task DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken = default)
    {
        if (OwnedConfigurations.IsOwned(id) || !state.State.Configurations.TryGetValue(id, out var current))
        {
            throw NotFound(id);
        }

        if (!ETags.Matches(ifMatch, current.ETag))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, $"Precondition failed: the etag given for configuration {id} is not its current one.");
        }

        await SaveAsync(c => c.Remove(id), cancellationToken);
        LogChanged(logger, Hub, id, "deleted");
        await AnnounceAsync(id, ConfigurationEventKind.Deleted, current.Metrics);
        await TellShardsAsync(id);
    }

    public Task<ConfigurationQueryErrors> TestQueriesAsync(string? targetCondition, IReadOnlyDictionary<string, string> metricQueries, CancellationToken cancellationToken = default)
    {
        var kind = targetCondition?.TrimStart().StartsWith("from ", StringComparison.OrdinalIgnoreCase) == true ? ConfigurationKind.Module : ConfigurationKind.Device;
        var targetError = targetCondition is null ? string.Empty : ErrorOf(() => ConfigurationRules.ParseTarget(targetCondition, kind, "targetCondition"));
        var metricErrors = metricQueries.ToDictionary(m => m.Key, m => ErrorOf(() => ConfigurationRules.ParseMetric(m.Value, m.Key)), StringComparer.Ordinal);
        return Task.FromResult(new ConfigurationQueryErrors(targetError, metricErrors));
    }

    public Task<ConfigurationCatalogSnapshot> GetCatalogAsync(long knownVersion, CancellationToken cancellationToken = default)
    {
        var committed = _committed;
        return Task.FromResult(knownVersion == committed.Version ? committed with { Definitions = null } : committed);
    }

    /// <summary>Content cannot change once created (IoT Hub's rule); a caller that sends it back unchanged, or empty, keeps it.</summary>
    private static ConfigurationContent KeptContent(ConfigurationDefinition current, ConfigurationContent given)
    {
        var empty = given.DeviceContent.Count == 0 && given.ModuleContent.Count == 0 && given.ModulesContent.Count == 0;
        if (empty || ContentComparer.Same(current.Content, given))
        {
            return current.Content;
        }

        throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"The content of configuration {current.Id} cannot be updated: create a new configuration.");
    }

    /// <summary>
    /// Stores a new state object, so a failed write leaves the previous one in place; readers see the change once stored.
    /// A version a failed write used is not used again (the counter stays past it), so no silo holds two catalogs of one version.
    /// </summary>
    private async Task SaveAsync(Action<Dictionary<string, ConfigurationDefinition>> change, CancellationToken cancellationToken)
    {
        var previous = state.State;
        var configurations = new Dictionary<string, ConfigurationDefinition>(previous.Configurations, StringComparer.Ordinal);
        change(configurations);

        state.State = new ConfigurationsState { Configurations = configurations, Version = previous.Version + 1, ETagCounter = previous.ETagCounter + 1 };
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            previous.Version++;
            previous.ETagCounter++;
            state.State = previous;

            // The write may have landed after all, leaving the grain's stored etag stale: start afresh from storage.
            DeactivateOnIdle();
            throw;
        }

        _committed = new ConfigurationCatalogSnapshot(state.State.Version, [.. configurations.Values]);
        StartTimers();
        CountSoon();
    }

    /// <summary>Every shard tells the twins this configuration may concern; the twins then apply the catalog at this version.</summary>
    private async Task TellShardsAsync(params IReadOnlyList<string> ids)
    {
        var version = _committed.Version;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).SelectMany(shard => ids.Select(id =>
                GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(Hub, shard)).ReconcileConfigurationAsync(id, version))));
        }
        catch (Exception ex)
        {
            // Stored already: the sweep repairs what the shards did not hear.
            LogShardsNotTold(logger, ex, Hub, string.Join(", ", ids));
        }
    }

    private static string ErrorOf(Action parse)
    {
        try
        {
            parse();
            return string.Empty;
        }
        catch (DeviceFabricException ex) when (ex.Code == DeviceFabricErrorCode.ArgumentInvalid)
        {
            return ex.Message;
        }
    }

    private static DeviceFabricException NotFound(string id) =>
        new(DeviceFabricErrorCode.ConfigurationNotFound, $"Configuration {id} not found.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration {Hub}/{Id} {What}")]
    private static partial void LogChanged(ILogger logger, string hub, string id, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration {Hub}/{Id}: not every registry shard heard of its change; the next sweep applies it")]
    private static partial void LogShardsNotTold(ILogger logger, Exception exception, string hub, string id);
}
