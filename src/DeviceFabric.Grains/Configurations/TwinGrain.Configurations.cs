using System.Text.Json.Nodes;
using DeviceFabric.Configurations;
using DeviceFabric.Devices;
using DeviceFabric.Modules;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Twins;

/// <summary>
/// Configurations, applied by the twin itself: after every change that may alter which configurations target it, and
/// when a configuration changes (the registry shards tell the twins concerned). A device twin applies its device
/// configurations and, for an IoT Edge device, finds the deployments that target it and tells its module twins, which
/// apply the deployments' content for them; a module twin also applies module configurations. Tags a configuration
/// writes may change what targets the twin, so a reconciliation runs again, at most three times.
/// </summary>
internal sealed partial class TwinGrain : ITwinConfigurationGrain
{
    private const int MaxPasses = 3;

    private bool IsModule => ModuleIds.IsModule(_deviceId);

    private string? ModuleId => ModuleIds.Split(_deviceId).ModuleId;

    public async Task ReconcileConfigurationsAsync(long catalogVersion, CancellationToken cancellationToken = default)
    {
        var catalog = await catalogs.GetAsync(GrainFactory, _hub, catalogVersion);
        await ReconcileAsync(catalog, tellModules: true, cancellationToken);
    }

    public async Task ReconcileSoonAsync(long catalogVersion)
    {
        try
        {
            await ReconcileConfigurationsAsync(catalogVersion);
        }
        catch (Exception ex)
        {
            configurationInstruments.Reconciled("failed");
            LogReconcileFailed(logger, ex, _hub, _deviceId);
        }
    }

    public async Task ApplyDeploymentsAsync(IReadOnlyList<string> deploymentIds, long catalogVersion, CancellationToken cancellationToken = default)
    {
        // First: a twin of a new generation starts afresh, and would forget what it is told here.
        await CurrentDeviceAsync(cancellationToken);
        state.State.Deployments = [.. deploymentIds];
        state.State.DeploymentsKnown = true;
        var catalog = await catalogs.GetAsync(GrainFactory, _hub, catalogVersion);
        await ReconcileAsync(catalog, tellModules: false, cancellationToken, force: true);
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
            await WriteConfiguredAsync(null, desired, cancellationToken);
        }
    }

    /// <summary>After a stored write: applies the configurations if the write may change which target the twin; never fails the write.</summary>
    private async Task ReconcileAfterWriteAsync(bool tags, bool reported, bool desired, CancellationToken cancellationToken)
    {
        try
        {
            var catalog = await catalogs.GetAsync(GrainFactory, _hub);
            var mayChange = IsModule ? catalog.ModuleTwinMayChange(tags, reported, desired) : catalog.DeviceTwinMayChange(tags, reported, desired, isEdge: true);
            if (mayChange)
            {
                await ReconcileAsync(catalog, tellModules: false, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            configurationInstruments.Reconciled("failed");
            LogReconcileFailed(logger, ex, _hub, _deviceId);
        }
    }

    private async Task ReconcileAsync(ConfigurationCatalog catalog, bool tellModules, CancellationToken cancellationToken, bool force = false)
    {
        await CurrentDeviceAsync(cancellationToken);
        if (IsModule && !state.State.DeploymentsKnown)
        {
            var device = ModuleIds.Split(_deviceId).DeviceId;
            var told = await GrainFactory.GetGrain<ITwinConfigurationGrain>(DeviceKey.Create(_hub, device)).GetDeploymentsAsync(cancellationToken);
            state.State.Deployments = [.. told];
            state.State.DeploymentsKnown = true;
            force = true;
        }

        var previousDeployments = state.State.Deployments.ToList();
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var identity = await CurrentDeviceAsync(cancellationToken);
            var document = TwinDocument.Compose(
                TwinIdentity.Of(identity), state.State.Version, _tags.Properties.DeepClone().AsObject(),
                _desired.ToJson(withMetadata: false), _reported.ToJson(withMetadata: false), ConfigurationsJson());
            var (candidates, deployments, marked) = Candidates(catalog, document, identity.IsEdge);
            var plan = ContentPlan.Compute(_tags.Properties, _desired.Properties, state.State.ConfiguredPaths, candidates);
            var statuses = plan.Statuses.Where(s => marked.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
            var unchanged = plan.TagsPatch is null && plan.DesiredPatch is null
                && Same(statuses, state.State.ConfigurationStatus) && Same(plan.Owners, state.State.ConfiguredPaths)
                && (deployments is null || deployments.SequenceEqual(state.State.Deployments, StringComparer.Ordinal));
            if (unchanged && !force)
            {
                configurationInstruments.Reconciled("unchanged");
                break;
            }

            force = false;
            state.State.ConfigurationStatus = statuses;
            state.State.ConfiguredPaths = plan.Owners;
            if (deployments is not null)
            {
                state.State.Deployments = deployments;
            }

            await WriteConfiguredAsync(plan.TagsPatch, plan.DesiredPatch, cancellationToken);
            configurationInstruments.Reconciled("changed");
            if (plan.TagsPatch is null)
            {
                break;
            }
        }

        if (!IsModule && (tellModules || !previousDeployments.SequenceEqual(state.State.Deployments, StringComparer.Ordinal)))
        {
            await TellModulesAsync(catalog, previousDeployments);
        }
    }

    /// <summary>What targets the twin: content candidates, a device twin's deployments (null for a module), and which ids the twin shows as <c>configurations</c>.</summary>
    private (List<ContentCandidate> Candidates, List<string>? Deployments, HashSet<string> Marked) Candidates(ConfigurationCatalog catalog, JsonObject document, bool isEdge)
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
            var deployments = isEdge
                ? catalog.Edge.Where(c => c.Matches(document))
                    .OrderByDescending(c => c.Definition.Priority).ThenByDescending(c => c.Definition.CreatedTime)
                    .Select(c => c.Definition.Id).ToList()
                : [];
            return (candidates, deployments, marked);
        }

        // IoT Hub shows a deployment's status on the edge agent's twin only.
        var isAgent = ModuleId == ModuleIds.EdgeAgent;
        foreach (var id in state.State.Deployments)
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

        return (candidates, null, marked);
    }

    /// <summary>Stores what a reconciliation changed (tags, desired, markers), then announces it and pushes desired to the device.</summary>
    private async Task WriteConfiguredAsync(JsonObject? tags, JsonObject? desired, CancellationToken cancellationToken)
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

            await SaveAsync(cancellationToken);
        }
        catch
        {
            LoadSections();
            throw;
        }

        await AnnounceAsync(TwinChangeKind.Updated, tags, desired, reported: null);
        if (desired is not null)
        {
            await PushDesiredAsync(desired, cancellationToken);
        }
    }

    /// <summary>Tells the module twins the deployments name, before and after, and the runtime's two, what targets them now.</summary>
    private async Task TellModulesAsync(ConfigurationCatalog catalog, IReadOnlyList<string> previousDeployments)
    {
        var device = ModuleIds.Split(_deviceId).DeviceId;
        var modules = new HashSet<string>(StringComparer.Ordinal) { ModuleIds.EdgeAgent, ModuleIds.EdgeHub };
        foreach (var id in previousDeployments.Concat(state.State.Deployments))
        {
            if (catalog.ById.TryGetValue(id, out var deployment))
            {
                modules.UnionWith(deployment.Content.ByModule.Keys);
            }
        }

        var deployments = state.State.Deployments.ToList();
        await Task.WhenAll(modules.Select(async module =>
        {
            try
            {
                await GrainFactory.GetGrain<ITwinConfigurationGrain>(DeviceKey.Create(_hub, ModuleIds.Compose(device, module)))
                    .ApplyDeploymentsAsync(deployments, catalog.Version);
            }
            catch (DeviceFabricException ex) when (ex.Code is DeviceFabricErrorCode.ModuleNotFound)
            {
                // The edge agent creates a deployment's modules when it starts them; their twins ask for the deployments then.
            }
        }));
    }

    /// <summary>The twin's <c>configurations</c> section, or null when none targets it.</summary>
    private JsonObject? ConfigurationsJson() => state.State.ConfigurationStatus.Count == 0
        ? null
        : new JsonObject(state.State.ConfigurationStatus.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => KeyValuePair.Create<string, JsonNode?>(s.Key, new JsonObject { ["status"] = s.Value })));

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twin of {Hub}/{DeviceId}: the configurations targeting it could not be applied; the next change or sweep retries")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, string hub, string deviceId);
}
