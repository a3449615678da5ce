using System.Text.Json.Nodes;
using DeviceFabric.Configurations;
using DeviceFabric.Devices;
using DeviceFabric.Modules;
using DeviceFabric.Query;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Registry;

/// <summary>
/// The configurations facet: counts for configuration metrics, and finding the twins a configuration change concerns.
/// The shard holds every twin's projection, markers included, so it can tell which twins a condition targets and which
/// show a configuration, without waking the rest. Twins are told in the background, a few at a time.
/// </summary>
internal sealed partial class RegistryShardGrain
{
    private const int TellAtOnce = 16;

    private readonly HashSet<string> _pendingConfigurations = new(StringComparer.Ordinal);
    private bool _pendingSweep;
    private long _pendingVersion;
    private Task? _pass;

    public Task<long[]> CountAsync(IReadOnlyList<string> queries, CancellationToken cancellationToken = default)
    {
        var parsed = queries.Select(QueryParser.Parse).ToList();
        var counts = new long[queries.Count];
        foreach (var collection in parsed.Select(q => q.Collection).Distinct(StringComparer.Ordinal))
        {
            foreach (var (_, document) in Documents(collection, afterDeviceId: null, withHealth: false))
            {
                for (var i = 0; i < parsed.Count; i++)
                {
                    if (parsed[i].Collection == collection && parsed[i].Matches(document))
                    {
                        counts[i]++;
                    }
                }
            }
        }

        return Task.FromResult(counts);
    }

    public Task ReconcileConfigurationAsync(string configurationId, long catalogVersion, CancellationToken cancellationToken = default)
    {
        _pendingConfigurations.Add(configurationId);
        return StartPassAsync(catalogVersion);
    }

    public Task SweepConfigurationsAsync(long catalogVersion, CancellationToken cancellationToken = default)
    {
        _pendingSweep = true;
        return StartPassAsync(catalogVersion);
    }

    /// <summary>
    /// One pass at a time: what is asked while a pass runs waits for the next one, merged (the newest version, every
    /// configuration asked about, a sweep if one was asked), so slow twins never pile passes up.
    /// </summary>
    private Task StartPassAsync(long catalogVersion)
    {
        _pendingVersion = Math.Max(_pendingVersion, catalogVersion);
        if (_pass is null || _pass.IsCompleted)
        {
            _pass = RunPassesAsync();
        }

        return Task.CompletedTask;
    }

    private async Task RunPassesAsync()
    {
        while (_pendingSweep || _pendingConfigurations.Count > 0)
        {
            var (ids, sweep, version) = (_pendingConfigurations.ToList(), _pendingSweep, _pendingVersion);
            _pendingConfigurations.Clear();
            _pendingSweep = false;
            await TellInBackgroundAsync(version, catalog =>
            {
                var twins = new HashSet<string>(sweep ? Disagreeing(catalog) : [], StringComparer.Ordinal);
                foreach (var id in ids)
                {
                    twins.UnionWith(Concerned(id, catalog));
                }

                return [.. twins];
            });
        }
    }

    /// <summary>The twins a change of one configuration concerns: those it targets and those that show it.</summary>
    private List<string> Concerned(string id, ConfigurationCatalog catalog)
    {
        catalog.ById.TryGetValue(id, out var configuration);
        var twins = new List<string>();
        foreach (var (deviceId, document) in Documents("devices", afterDeviceId: null, withHealth: false))
        {
            var targeted = configuration switch
            {
                { Kind: ConfigurationKind.Device } => configuration.Matches(document),
                { Kind: ConfigurationKind.EdgeDeployment } => IsEdge(document) && configuration.Matches(document),
                _ => false,
            };
            if (targeted || Markers(document).Contains(id) || AgentMarkers(deviceId).Contains(id))
            {
                twins.Add(deviceId);
            }
        }

        foreach (var (moduleId, document) in Documents("devices.modules", afterDeviceId: null, withHealth: false))
        {
            // A deployment's marker on the edge agent brought its device in above: the device tells all its modules. A
            // module configuration's is the module's own.
            var moduleConfiguration = configuration is { Kind: ConfigurationKind.Module };
            if ((moduleConfiguration || configuration is null || !IsAgent(moduleId))
                && ((moduleConfiguration && configuration!.Matches(document)) || Markers(document).Contains(id)))
            {
                twins.Add(moduleId);
            }
        }

        return twins;
    }

    /// <summary>The twins whose markers differ from what the conditions say now (a change a crash interrupted, or one never heard).</summary>
    private List<string> Disagreeing(ConfigurationCatalog catalog)
    {
        var twins = new List<string>();
        foreach (var (deviceId, document) in Documents("devices", afterDeviceId: null, withHealth: false))
        {
            var expected = catalog.Device.Where(c => c.Matches(document)).Select(c => c.Definition.Id).ToHashSet(StringComparer.Ordinal);
            var shown = Markers(document);
            var deployments = IsEdge(document) ? catalog.Edge.Where(c => c.Matches(document)).Select(c => c.Definition.Id).ToHashSet(StringComparer.Ordinal) : [];
            var agentShown = AgentMarkers(deviceId).Where(m => !catalog.ById.TryGetValue(m, out var c) || c.Kind != ConfigurationKind.Module).ToHashSet(StringComparer.Ordinal);
            // An edge device's other modules carry no marker to compare, so every edge device is told while
            // deployments exist: its module twins answer "unchanged" unless one missed its content.
            if (!shown.SetEquals(expected) || !agentShown.SetEquals(deployments) || (IsEdge(document) && catalog.Edge.Count > 0))
            {
                twins.Add(deviceId);
            }
        }

        foreach (var (moduleId, document) in Documents("devices.modules", afterDeviceId: null, withHealth: false))
        {
            var expected = catalog.Module.Where(c => c.Matches(document)).Select(c => c.Definition.Id).ToHashSet(StringComparer.Ordinal);
            var shown = Markers(document).Where(m => catalog.ById.TryGetValue(m, out var c) ? c.Kind == ConfigurationKind.Module : !IsAgent(moduleId)).ToHashSet(StringComparer.Ordinal);
            if (!shown.SetEquals(expected))
            {
                twins.Add(moduleId);
            }
        }

        return twins;
    }

    private async Task TellInBackgroundAsync(long catalogVersion, Func<ConfigurationCatalog, List<string>> select)
    {
        try
        {
            var key = this.GetPrimaryKeyString();
            var hub = key[..key.LastIndexOf('/')];
            var catalog = await _catalogs.GetAsync(GrainFactory, hub, catalogVersion);
            var twins = select(catalog);
            var failed = 0;
            for (var i = 0; i < twins.Count; i += TellAtOnce)
            {
                var told = await Task.WhenAll(twins.Skip(i).Take(TellAtOnce).Select(twin => TellAsync(hub, twin, catalog.Version)));
                failed += told.Count(ok => !ok);
            }

            if (failed > 0)
            {
                LogTwinsFailed(_logger, this.GetPrimaryKeyString(), failed, twins.Count);
            }
        }
        catch (Exception ex)
        {
            LogConfigurationsNotTold(_logger, ex, this.GetPrimaryKeyString());
        }
    }

    /// <summary>Tells one twin; false when it failed (one twin's failure never stops the others).</summary>
    private async Task<bool> TellAsync(string hub, string twin, long version)
    {
        try
        {
            await GrainFactory.GetGrain<ITwinConfigurationGrain>(DeviceKey.Create(hub, twin)).ReconcileConfigurationsAsync(version);
            return true;
        }
        catch (DeviceFabricException ex) when (ex.Code is DeviceFabricErrorCode.DeviceNotFound or DeviceFabricErrorCode.ModuleNotFound)
        {
            // Deleted meanwhile.
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    private HashSet<string> AgentMarkers(string deviceId)
    {
        var agent = ModuleIds.Compose(deviceId, ModuleIds.EdgeAgent);
        return _state.State.Twins.TryGetValue(agent, out var twin) && JsonNode.Parse(twin.Json)?["configurations"] is JsonObject marks
            ? marks.Select(m => m.Key).ToHashSet(StringComparer.Ordinal)
            : [];
    }

    private static HashSet<string> Markers(JsonObject document) =>
        document["configurations"] is JsonObject marks ? marks.Select(m => m.Key).ToHashSet(StringComparer.Ordinal) : [];

    private static bool IsEdge(JsonObject document) => document["capabilities"]?["iotEdge"]?.GetValue<bool>() == true;

    private static bool IsAgent(string moduleId) => ModuleIds.Split(moduleId).ModuleId == ModuleIds.EdgeAgent;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registry shard {Shard}: {Failed} of {Told} twins failed to apply a configuration change; the next sweep retries them")]
    private static partial void LogTwinsFailed(ILogger logger, string shard, int failed, int told);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registry shard {Shard}: twins could not all be told of a configuration change; the next sweep retries")]
    private static partial void LogConfigurationsNotTold(ILogger logger, Exception exception, string shard);
}
