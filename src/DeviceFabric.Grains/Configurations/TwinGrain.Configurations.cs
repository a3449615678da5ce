using System.Text.Json.Nodes;
using DeviceFabric.Configurations;
using DeviceFabric.Devices;
using DeviceFabric.Modules;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Twins;

/// <summary>
/// Configurations, applied by the twin itself: after every change that may alter which configurations target it (one
/// way, after the change is acknowledged), and when a configuration changes (the registry shards tell the twins
/// concerned). A device twin applies its device configurations and, for an IoT Edge device, finds the deployments that
/// target it and tells its module twins, which apply the deployments' content for them; a module twin also applies
/// module configurations. Tags a configuration writes may change what targets the twin, so a reconciliation runs again,
/// at most three times.
/// </summary>
internal sealed partial class TwinGrain : ITwinConfigurationGrain
{
    private const int MaxPasses = 3;

    /// <summary>A one-way reconciliation of this twin is queued: writes meanwhile need not queue another.</summary>
    private bool _reconcileQueued;

    private bool IsModule => ModuleIds.IsModule(_deviceId);

    private string? ModuleId => ModuleIds.Split(_deviceId).ModuleId;

    public async Task ReconcileConfigurationsAsync(long catalogVersion, CancellationToken cancellationToken = default)
    {
        var catalog = await catalogs.GetAsync(GrainFactory, _hub, catalogVersion);
        await ReconcileAsync(catalog, tellModules: true, told: null, cancellationToken);
    }

    public async Task ReconcileSoonAsync(long catalogVersion, bool tellModules)
    {
        _reconcileQueued = false;
        try
        {
            var catalog = await catalogs.GetAsync(GrainFactory, _hub, catalogVersion);
            await ReconcileAsync(catalog, tellModules, told: null, CancellationToken.None);
        }
        catch (DeviceFabricException ex) when (ex.Code is DeviceFabricErrorCode.DeviceNotFound or DeviceFabricErrorCode.ModuleNotFound)
        {
            // Deleted since the turn was queued: nothing to apply.
        }
        catch (Exception ex)
        {
            configurationInstruments.Reconciled("failed");
            LogReconcileFailed(logger, ex, _hub, _deviceId);
        }
    }

    public async Task ApplyDeploymentsAsync(IReadOnlyList<string> deploymentIds, long catalogVersion, CancellationToken cancellationToken = default)
    {
        var catalog = await catalogs.GetAsync(GrainFactory, _hub, catalogVersion);
        await ReconcileAsync(catalog, tellModules: false, told: deploymentIds, cancellationToken);
    }

    public Task<IReadOnlyList<string>> GetDeploymentsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Deployments]);

    public async Task ApplyContentAsync(IReadOnlyDictionary<string, string> paths, CancellationToken cancellationToken = default)
    {
        await CurrentDeviceAsync(cancellationToken);
        var candidate = new ContentCandidate(string.Empty, int.MaxValue, default, [.. paths.Select(p => ContentPath.Parse(p.Key, JsonNode.Parse(p.Value), allowTags: false)!)]);
        var plan = ContentPlan.Compute(_tags.Properties, _desired.Properties, new Dictionary<string, string>(), [candidate]);
        if (plan.DesiredPatch is { } desired)
        {
            await WriteConfiguredAsync(null, desired, marks: null, cancellationToken);
        }
    }

    /// <summary>
    /// After a stored write: when the write may change which configurations target the twin, asks the twin itself, one
    /// way, to apply them, so the write's acknowledgement never waits on it. Never fails the write.
    /// </summary>
    private async Task ReconcileAfterWriteAsync(bool tags, bool reported, bool desired, CancellationToken cancellationToken)
    {
        try
        {
            // The catalog as held, never waited for: a silo that has not read it yet lets the queued turn read it.
            var catalog = catalogs.Held(GrainFactory, _hub);
            var mayChange = catalog is null
                || (IsModule ? catalog.ModuleTwinMayChange(tags, reported, desired) : catalog.DeviceTwinMayChange(tags, reported, desired));
            if (mayChange && !_reconcileQueued)
            {
                _reconcileQueued = true;
                await this.AsReference<ITwinConfigurationGrain>().ReconcileSoonAsync(catalog?.Version ?? -1, tellModules: false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            configurationInstruments.Reconciled("failed");
            LogReconcileFailed(logger, ex, _hub, _deviceId);
        }
    }

    private async Task ReconcileAsync(ConfigurationCatalog catalog, bool tellModules, IReadOnlyList<string>? told, CancellationToken cancellationToken)
    {
        // First: a twin of a new generation starts afresh, and the identity is part of what conditions read.
        var identity = await CurrentDeviceAsync(cancellationToken);
        var previousDeployments = state.State.Deployments;
        var moduleDeployments = IsModule ? told ?? (state.State.DeploymentsKnown ? state.State.Deployments : await AskDeploymentsAsync(cancellationToken)) : null;
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var document = TwinDocument.Compose(
                TwinIdentity.Of(identity), state.State.Version, _tags.Properties.DeepClone().AsObject(),
                _desired.ToJson(withMetadata: false), _reported.ToJson(withMetadata: false), ConfigurationsJson());
            var (candidates, deployments, marked) = Candidates(catalog, document, identity.IsEdge, moduleDeployments);
            var plan = ContentPlan.Compute(_tags.Properties, _desired.Properties, state.State.ConfiguredPaths, candidates);
            var marks = new ConfigurationMarks(
                plan.Statuses.Where(s => marked.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal),
                plan.Owners,
                deployments,
                DeploymentsKnown: IsModule || state.State.DeploymentsKnown);
            if (plan.TagsPatch is null && plan.DesiredPatch is null && Same(marks))
            {
                // The shard may have missed the last projection (it is not retried on failure): a sweep that finds
                // this twin out of step repairs it here. An unchanged projection costs the shard no write.
                await ProjectAsync(cancellationToken);
                configurationInstruments.Reconciled("unchanged");
                break;
            }

            await WriteConfiguredAsync(plan.TagsPatch, plan.DesiredPatch, marks, cancellationToken);
            configurationInstruments.Reconciled("changed");
            if (plan.TagsPatch is null)
            {
                break;
            }
        }

        if (!IsModule && (tellModules || !previousDeployments.SequenceEqual(state.State.Deployments, StringComparer.Ordinal)))
        {
            await TellModulesAsync(catalog);
        }
    }

    /// <summary>What targets the twin: content candidates, the deployments it keeps, and which ids the twin shows as <c>configurations</c>.</summary>
    private (List<ContentCandidate> Candidates, List<string> Deployments, HashSet<string> Marked) Candidates(
        ConfigurationCatalog catalog, JsonObject document, bool isEdge, IReadOnlyList<string>? moduleDeployments)
    {
        var candidates = new List<ContentCandidate>();
        var marked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var configuration in (IsModule ? catalog.Module : catalog.Device).Where(c => c.Matches(document)))
        {
            candidates.Add(configuration.Candidate(configuration.Content.Twin));
            marked.Add(configuration.Definition.Id);
        }

        if (!IsModule)
        {
            List<string> deployments = isEdge
                ? [.. catalog.Edge.Where(c => c.Matches(document))
                    .OrderByDescending(c => c.Definition.Priority).ThenByDescending(c => c.Definition.CreatedTime)
                    .Select(c => c.Definition.Id)]
                : [];
            return (candidates, deployments, marked);
        }

        // IoT Hub shows a deployment's status on the edge agent's twin only.
        var isAgent = ModuleId == ModuleIds.EdgeAgent;
        foreach (var id in moduleDeployments!)
        {
            if (catalog.ById.TryGetValue(id, out var deployment) && deployment.Kind == ConfigurationKind.EdgeDeployment)
            {
                var paths = deployment.Content.ByModule.GetValueOrDefault(ModuleId!);
                if (paths is not null || isAgent)
                {
                    candidates.Add(deployment.Candidate(paths ?? []));
                }

                if (isAgent)
                {
                    marked.Add(id);
                }
            }
        }

        return (candidates, [.. moduleDeployments], marked);
    }

    private async Task<IReadOnlyList<string>> AskDeploymentsAsync(CancellationToken cancellationToken)
    {
        var device = ModuleIds.Split(_deviceId).DeviceId;
        return await GrainFactory.GetGrain<ITwinConfigurationGrain>(DeviceKey.Create(_hub, device)).GetDeploymentsAsync(cancellationToken);
    }

    /// <summary>Stores what a reconciliation changed (tags, desired, bookkeeping), then announces it and pushes desired to the device.</summary>
    private async Task WriteConfiguredAsync(JsonObject? tags, JsonObject? desired, ConfigurationMarks? marks, CancellationToken cancellationToken)
    {
        var now = clock.Time.GetUtcNow();
        try
        {
            if (tags is not null)
            {
                _tags.Apply(tags, now);
            }

            if (desired is not null)
            {
                RecordRemovals(desired, _desired.Version + 1);
                _desired.Apply(desired, now);
            }

            await SaveAsync(cancellationToken, marks);
        }
        catch
        {
            LoadSections();
            throw;
        }

        if (tags is not null || desired is not null)
        {
            await AnnounceAsync(TwinChangeKind.Updated, tags, desired, reported: null);
        }

        if (desired is not null)
        {
            var pushed = WithWholeUpdateComponent(desired);
            await PushDesiredAsync(pushed, cancellationToken);
            await SendUpdateMessageAsync(pushed);
        }
    }

    /// <summary>
    /// Tells every module of the edge device what deployments target it now: all of them, so a module whose deployment
    /// went (and with it the record of which modules it named) loses that deployment's content too.
    /// </summary>
    private async Task TellModulesAsync(ConfigurationCatalog catalog)
    {
        var device = ModuleIds.Split(_deviceId).DeviceId;
        IReadOnlyList<DeviceIdentity> modules;
        try
        {
            modules = await GrainFactory.GetGrain<IDeviceModulesGrain>(DeviceKey.Create(_hub, device)).ListModulesAsync();
        }
        catch (DeviceFabricException ex) when (ex.Code is DeviceFabricErrorCode.DeviceNotFound)
        {
            return;
        }

        var deployments = state.State.Deployments.ToList();
        await Task.WhenAll(modules.Select(async module =>
        {
            try
            {
                await GrainFactory.GetGrain<ITwinConfigurationGrain>(DeviceKey.Create(_hub, module.DeviceId)).ApplyDeploymentsAsync(deployments, catalog.Version);
            }
            catch (DeviceFabricException ex) when (ex.Code is DeviceFabricErrorCode.DeviceNotFound or DeviceFabricErrorCode.ModuleNotFound)
            {
                // Deleted since the list was read.
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One module's failure does not keep the others from their deployments; the sweep retries it.
                configurationInstruments.Reconciled("failed");
                LogReconcileFailed(logger, ex, _hub, module.DeviceId);
            }
        }));
    }

    /// <summary>The twin's <c>configurations</c> section, or null when none targets it.</summary>
    private JsonObject? ConfigurationsJson() => state.State.ConfigurationStatus.Count == 0
        ? null
        : new JsonObject(state.State.ConfigurationStatus.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => KeyValuePair.Create<string, JsonNode?>(s.Key, new JsonObject { ["status"] = s.Value })));

    /// <summary>
    /// Whether the bookkeeping is as stored. Having heard the deployments is not a change of its own (it is stored with
    /// the next one; until then a module asks again), so a new module with nothing targeting it writes nothing.
    /// </summary>
    private bool Same(ConfigurationMarks marks) =>
        SameMaps.Equal(marks.Statuses, state.State.ConfigurationStatus) && SameMaps.Equal(marks.Owners, state.State.ConfiguredPaths)
        && marks.Deployments.SequenceEqual(state.State.Deployments, StringComparer.Ordinal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twin of {Hub}/{DeviceId}: the configurations targeting it could not be applied; the next change or sweep retries")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, string hub, string deviceId);
}
