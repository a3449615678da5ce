using System.Text.Json.Nodes;
using DeviceFabric.Devices;
using DeviceFabric.Persistence;
using DeviceFabric.Registry;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceFabric.Twins;

/// <summary>
/// A device's twin: tags, desired and reported properties, in memory while active and stored on every change. Each
/// change is validated whole, stored, then announced: desired patches go to the device's live session in version order,
/// and every change goes to the hub's twin-change stream. Service facet here, the device's session's in <c>TwinGrain.Session.cs</c>.
/// </summary>
// The grain type keeps the class's former name: stored twins are keyed by it.
[GrainType("devicetwin")]
internal sealed partial class TwinGrain(
    [PersistentState("twin", GrainStorage.Name)] IPersistentState<TwinState> state,
    DeviceFabric.Hosting.GrainClock clock,
    DeviceFabric.Devices.DeviceInstruments instruments,
    DeviceFabric.Configurations.ConfigurationCatalogCache catalogs,
    DeviceFabric.Configurations.ConfigurationInstruments configurationInstruments,
    ILogger<TwinGrain> logger) : Grain, ITwinServiceGrain, ITwinSessionGrain, ITwinJobGrain
{
    private const int MaxRemovalsKept = 1000;

    private string _hub = string.Empty;
    private string _deviceId = string.Empty;
    private TwinSection _tags = null!;
    private TwinSection _desired = null!;
    private TwinSection _reported = null!;
    private IAsyncStream<TwinChangeEvent>? _changes;

    /// <summary>The device's identity version and generation as last read from it; null until read, or once it changed.</summary>
    private (long Version, string GenerationId)? _device;

    /// <summary>The newest identity version the device announced a change at; older answers are not kept.</summary>
    private long _deviceChangedAt;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_hub, _deviceId) = DeviceKey.Parse(this.GetPrimaryKeyString());
        LoadSections();
        if (state.State.GenerationId is not null)
        {
            // Repairs the query projection if an earlier process stopped between the twin write and the shard write;
            // an unchanged projection costs the shard no write.
            await ProjectAsync(cancellationToken);
        }
    }

    public async Task<string> GetAsync(CancellationToken cancellationToken = default)
    {
        var device = await CurrentDeviceAsync(cancellationToken);
        instruments.TwinRead("service");
        return Document(device);
    }

    public async Task<string> UpdateAsync(string patchJson, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var device = await CurrentDeviceAsync(cancellationToken);
        await MergeAsync(TwinJson.ParseObject(patchJson, "The twin patch"), ifMatch, cancellationToken);
        instruments.TwinWritten("patch");
        return Document(device);
    }

    /// <summary>Merges a service patch's tags and desired properties, stores them, then announces and pushes the change.</summary>
    private async Task MergeAsync(JsonObject patch, string? ifMatch, CancellationToken cancellationToken)
    {
        var (tags, desired) = ServiceSections(patch);
        ThrowUnlessMatches(ifMatch);
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

        await ReconcileAfterWriteAsync(tags is not null, reported: false, desired is not null, cancellationToken);
    }

    public async Task<string> ReplaceAsync(string twinJson, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var device = await CurrentDeviceAsync(cancellationToken);
        var twin = TwinJson.ParseObject(twinJson, "The twin");
        var (tags, desired) = ServiceSections(twin);
        ThrowUnlessMatches(ifMatch);
        var now = clock.Time.GetUtcNow();
        var previousDesired = _desired.Properties;
        JsonObject? desiredChange = null;
        try
        {
            _tags.Replace(tags ?? [], now);
            desiredChange = RemovalsAndValues(previousDesired, desired ?? []);
            RecordRemovals(desiredChange, _desired.Version + 1);
            _desired.Replace(desired ?? [], now);
            await SaveAsync(cancellationToken);
        }
        catch
        {
            LoadSections();
            throw;
        }

        await AnnounceAsync(TwinChangeKind.Replaced, _tags.Properties, _desired.Properties, reported: null);
        await PushDesiredAsync(desiredChange, cancellationToken);
        instruments.TwinWritten("replace");
        await ReconcileAfterWriteAsync(tags: true, reported: false, desired: true, cancellationToken);
        return Document(device);
    }

    private string Document(DeviceIdentity device) => TwinDocument.Compose(
        TwinIdentity.Of(device),
        state.State.Version,
        _tags.Properties.DeepClone().AsObject(),
        _desired.ToJson(withMetadata: true),
        _reported.ToJson(withMetadata: true),
        ConfigurationsJson()).ToJsonString();

    private static (JsonObject? Tags, JsonObject? Desired) ServiceSections(JsonObject body)
    {
        var properties = TwinJson.Member(body, "properties", "properties");
        if (properties?["reported"] is not null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "Reported properties are the device's: the service cannot write them.");
        }

        return (TwinJson.Member(body, "tags", "tags"), properties is null ? null : TwinJson.Member(properties, "desired", "properties.desired"));
    }

    private void ThrowUnlessMatches(string? ifMatch)
    {
        if (!ETags.Matches(ifMatch, ETags.FromVersion(state.State.Version)))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, $"Precondition failed: the etag given for the twin of {_deviceId} is not its current one.");
        }
    }

    /// <summary>Stores the sections as a new state object, so a failed write leaves the previous one in place.</summary>
    private async Task SaveAsync(CancellationToken cancellationToken, Configurations.ConfigurationMarks? marks = null)
    {
        var previous = state.State;
        state.State = new TwinState
        {
            GenerationId = previous.GenerationId,
            Version = previous.Version + 1,
            Tags = _tags.Properties.ToJsonString(),
            TagsMetadata = _tags.Metadata.ToJsonString(),
            TagsVersion = _tags.Version,
            Desired = _desired.Properties.ToJsonString(),
            DesiredMetadata = _desired.Metadata.ToJsonString(),
            DesiredVersion = _desired.Version,
            Reported = _reported.Properties.ToJsonString(),
            ReportedMetadata = _reported.Metadata.ToJsonString(),
            ReportedVersion = _reported.Version,
            DesiredRemovedAt = previous.DesiredRemovedAt,
            DesiredRemovedFloor = previous.DesiredRemovedFloor,
            LastJobId = previous.LastJobId,
            LastJobPrevious = previous.LastJobPrevious,
            ConfigurationStatus = marks?.Statuses ?? previous.ConfigurationStatus,
            ConfiguredPaths = marks?.Owners ?? previous.ConfiguredPaths,
            Deployments = marks?.Deployments ?? previous.Deployments,
            DeploymentsKnown = marks?.DeploymentsKnown ?? previous.DeploymentsKnown,
        };
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            state.State = previous;
            throw;
        }

        await ProjectAsync(cancellationToken);
    }

    /// <summary>
    /// Brings the device's query projection in its registry shard up to date; returns once the shard stored it. The twin
    /// change is already stored, so a failure here is logged, not reported: the next write or activation repairs it.
    /// </summary>
    private async Task ProjectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SendProjectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogProjectionLost(logger, ex, _hub, _deviceId);
        }
    }

    private Task SendProjectionAsync(CancellationToken cancellationToken)
    {
        var sections = new JsonObject
        {
            ["tags"] = _tags.Properties.DeepClone(),
            ["properties"] = new JsonObject
            {
                ["desired"] = _desired.ToJson(withMetadata: false),
                ["reported"] = _reported.ToJson(withMetadata: false),
            },
        };
        if (ConfigurationsJson() is { } configurations)
        {
            sections["configurations"] = configurations;
        }

        // A module's projection lives in its device's shard (ShardOf takes the device part of a module's id).
        var shard = GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(_hub, RegistryShards.ShardOf(_deviceId)));
        return shard.UpsertTwinAsync(_deviceId, new TwinProjection(state.State.GenerationId!, state.State.Version, sections.ToJsonString()), cancellationToken);
    }

    private void LoadSections()
    {
        var s = state.State;
        _tags = new TwinSection("tags", TwinRules.TagsMaxBytes, TwinJson.Load(s.Tags), TwinJson.Load(s.TagsMetadata), s.TagsVersion);
        _desired = new TwinSection("properties.desired", TwinRules.PropertiesMaxBytes, TwinJson.Load(s.Desired), TwinJson.Load(s.DesiredMetadata), s.DesiredVersion);
        _reported = new TwinSection("properties.reported", TwinRules.PropertiesMaxBytes, TwinJson.Load(s.Reported), TwinJson.Load(s.ReportedMetadata), s.ReportedVersion);
    }

    private void RecordRemovals(JsonObject desiredPatch, long version)
    {
        var removedAt = new Dictionary<string, long>(state.State.DesiredRemovedAt, StringComparer.Ordinal);
        foreach (var (key, value) in desiredPatch)
        {
            if (value is null && _desired.Properties.ContainsKey(key))
            {
                removedAt[key] = version;
            }
            else if (value is not null)
            {
                removedAt.Remove(key);
            }
        }

        while (removedAt.Count > MaxRemovalsKept)
        {
            var oldest = removedAt.MinBy(r => r.Value);
            removedAt.Remove(oldest.Key);
            state.State.DesiredRemovedFloor = Math.Max(state.State.DesiredRemovedFloor, oldest.Value);
        }

        state.State.DesiredRemovedAt = removedAt;
    }

    /// <summary>What a device must apply to go from <paramref name="before"/> to <paramref name="after"/>: new values and nulls for removed keys.</summary>
    private static JsonObject RemovalsAndValues(JsonObject before, JsonObject after)
    {
        var change = after.DeepClone().AsObject();
        foreach (var (key, _) in before)
        {
            if (!after.ContainsKey(key))
            {
                change[key] = null;
            }
        }

        return change;
    }
}
