using System.Text.Json.Nodes;
using DeviceFabric.Devices;
using DeviceFabric.Modules;
using DeviceFabric.Streams;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Twins;

/// <summary>The twin as the device sees it over MQTT, and the announcements every change makes.</summary>
internal sealed partial class TwinGrain
{
    public async Task<string> GetPropertiesAsync(long? desiredSince, CancellationToken cancellationToken = default)
    {
        await EnsureDeviceGenerationAsync(cancellationToken);
        instruments.TwinRead("device");
        var desired = desiredSince is { } since && since >= state.State.DesiredRemovedFloor && since <= _desired.Version
            ? _desired.ChangesSince(since, state.State.DesiredRemovedAt)
            : _desired.ToJson(withMetadata: false);
        return new JsonObject { ["desired"] = desired, ["reported"] = _reported.ToJson(withMetadata: false) }.ToJsonString();
    }

    public async Task<long> PatchReportedAsync(byte[] patchJson, CancellationToken cancellationToken = default)
    {
        await EnsureDeviceGenerationAsync(cancellationToken);
        var patch = TwinJson.ParseObject(patchJson, "The reported-properties patch");
        try
        {
            _reported.Apply(patch, clock.Time.GetUtcNow());
            await SaveAsync(cancellationToken);
        }
        catch
        {
            LoadSections();
            throw;
        }

        instruments.TwinWritten("reported");
        await AnnounceAsync(TwinChangeKind.ReportedUpdated, tags: null, desired: null, reported: patch);
        await ReconcileAfterWriteAsync(tags: false, reported: true, desired: false, cancellationToken);
        return _reported.Version;
    }

    /// <summary>Sends a desired change, stamped with its version, to the device's live session (IoT Hub does not queue them).</summary>
    private async Task PushDesiredAsync(JsonObject change, CancellationToken cancellationToken)
    {
        var body = change.DeepClone().AsObject();
        body["$version"] = _desired.Version;
        var patch = new DesiredPropertiesPatch(_desired.Version, body.ToJsonString());
        await GrainFactory.GetGrain<IDeviceSessionGrain>(this.GetPrimaryKeyString()).SendToDeviceAsync(patch, cancellationToken);
    }

    /// <summary>Publishes a change event; best effort, like every fabric event (see the README).</summary>
    private async Task AnnounceAsync(TwinChangeKind kind, JsonObject? tags, JsonObject? desired, JsonObject? reported)
    {
        var body = new JsonObject { ["version"] = state.State.Version };
        if (tags is not null)
        {
            body["tags"] = tags.DeepClone();
        }

        var properties = new JsonObject();
        if (desired is not null)
        {
            var section = desired.DeepClone().AsObject();
            section["$version"] = _desired.Version;
            properties["desired"] = section;
        }

        if (reported is not null)
        {
            var section = reported.DeepClone().AsObject();
            section["$version"] = _reported.Version;
            properties["reported"] = section;
        }

        if (properties.Count > 0)
        {
            body["properties"] = properties;
        }

        try
        {
            _changes ??= this.GetStreamProvider(FabricStreams.ProviderName)
                .GetStream<TwinChangeEvent>(Orleans.Runtime.StreamId.Create(FabricStreams.TwinChangesNamespace, _hub));
            await _changes.OnNextAsync(new TwinChangeEvent(_hub, ModuleIds.Split(_deviceId).DeviceId, kind, state.State.Version, body.ToJsonString(), clock.Time.GetUtcNow(), ModuleId));
        }
        catch (Exception ex)
        {
            LogChangeLost(logger, ex, _hub, _deviceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twin of {Hub}/{DeviceId}: its query projection could not be stored; the next write or activation retries")]
    private static partial void LogProjectionLost(ILogger logger, Exception exception, string hub, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twin of {Hub}/{DeviceId}: a change event could not be published")]
    private static partial void LogChangeLost(ILogger logger, Exception exception, string hub, string deviceId);
}
