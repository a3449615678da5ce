using System.Text.Json.Nodes;
using DeviceFabric.Events;
using DeviceFabric.Hosting;
using DeviceFabric.Jobs;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using DeviceFabric.Twins;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceFabric.Routing;

/// <summary>
/// Turns a hub's lifecycle, connection-state, twin-change and job events into the messages IoT Hub routes for them,
/// and appends those a route could want (an enabled route of their source exists) to the hub's system-events log,
/// from which each endpoint's delivery takes them as it takes telemetry. Key: the hub, as the streams'.
/// </summary>
[ImplicitStreamSubscription(FabricStreams.LifecycleNamespace)]
[ImplicitStreamSubscription(FabricStreams.TwinChangesNamespace)]
[ImplicitStreamSubscription(FabricStreams.JobsNamespace)]
internal sealed partial class RoutingEventsGrain(ITelemetryLog log, GrainClock clock, ILogger<RoutingEventsGrain> logger) : Grain, IGrainWithStringKey
{
    private static readonly TimeSpan SettingsLifetime = TimeSpan.FromSeconds(2);
    private RoutingSettings _settings = RoutingSettings.Empty;
    private DateTimeOffset _settingsRead = DateTimeOffset.MinValue;
    private string _hub = string.Empty;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _hub = this.GetPrimaryKeyString();
        var provider = this.GetStreamProvider(FabricStreams.ProviderName);
        await provider.GetStream<DeviceLifecycleEvent>(StreamId.Create(FabricStreams.LifecycleNamespace, _hub)).SubscribeAsync((e, _) => LifecycleAsync(e));
        await provider.GetStream<TwinChangeEvent>(StreamId.Create(FabricStreams.TwinChangesNamespace, _hub)).SubscribeAsync((e, _) => TwinChangedAsync(e));
        await provider.GetStream<JobProgressEvent>(StreamId.Create(FabricStreams.JobsNamespace, _hub)).SubscribeAsync((e, _) => JobAsync(e));
    }

    private Task LifecycleAsync(DeviceLifecycleEvent e) => e.Kind switch
    {
        DeviceLifecycleKind.Created => AppendAsync(RoutingSource.DeviceLifecycleEvents, e.DeviceId, e.ModuleId, "createDeviceIdentity", e.Time, Identity(e.DeviceId, e.ModuleId)),
        DeviceLifecycleKind.Deleted => AppendAsync(RoutingSource.DeviceLifecycleEvents, e.DeviceId, e.ModuleId, "deleteDeviceIdentity", e.Time, Identity(e.DeviceId, e.ModuleId)),
        DeviceLifecycleKind.Connected => AppendAsync(RoutingSource.DeviceConnectionStateEvents, e.DeviceId, e.ModuleId, "deviceConnected", e.Time, Sequence(e.SessionEpoch)),
        _ => AppendAsync(RoutingSource.DeviceConnectionStateEvents, e.DeviceId, e.ModuleId, "deviceDisconnected", e.Time, Sequence(e.SessionEpoch)),
    };

    private Task TwinChangedAsync(TwinChangeEvent e) => AppendAsync(
        RoutingSource.TwinChangeEvents, e.DeviceId, e.ModuleId, e.Kind == TwinChangeKind.Replaced ? "replaceTwin" : "updateTwin", e.Time, e.Patch);

    private Task JobAsync(JobProgressEvent e) => e.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled
        ? AppendAsync(RoutingSource.DeviceJobLifecycleEvents, "$jobs", null, "job" + e.Status, e.At,
            new JsonObject { ["jobId"] = e.JobId, ["status"] = e.Status.ToString().ToLowerInvariant(), ["succeeded"] = e.Statistics.SucceededCount, ["failed"] = e.Statistics.FailedCount }.ToJsonString())
        : Task.CompletedTask;

    private async Task AppendAsync(RoutingSource source, string deviceId, string? moduleId, string opType, DateTimeOffset time, string body)
    {
        try
        {
            var settings = await SettingsAsync();
            if (!settings.Routes.Any(r => r.IsEnabled && r.Source == source))
            {
                return;
            }

            var message = RoutingSources.Event(source, _hub, deviceId, moduleId, opType, time, body);
            await log.AppendAsync(TelemetryLogNames.Of(_hub, TelemetryLogNames.SystemEvents), FabricStreams.TelemetryPartitionOf(deviceId), message);
        }
        catch (Exception ex)
        {
            // Live events are delivered while the node runs (their streams are in memory): one not stored is not routed.
            LogNotRouted(logger, ex, _hub, source, deviceId);
        }
    }

    private async Task<RoutingSettings> SettingsAsync()
    {
        var now = clock.Time.GetUtcNow();
        if (now - _settingsRead > SettingsLifetime)
        {
            _settings = await GrainFactory.GetGrain<IRoutingGrain>(_hub).GetAsync();
            _settingsRead = now;
        }

        return _settings;
    }

    private static string Identity(string deviceId, string? moduleId) =>
        new JsonObject { ["deviceId"] = deviceId, ["moduleId"] = moduleId }.ToJsonString();

    /// <summary>IoT Hub's connection-state event body: the session's sequence number, strictly increasing, compared as a string.</summary>
    private static string Sequence(long epoch) =>
        new JsonObject { ["sequenceNumber"] = DeviceFabric.Devices.ConnectionSequence.Of(epoch) }.ToJsonString();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Source} event of {Hub}/{DeviceId} was not routed")]
    private static partial void LogNotRouted(ILogger logger, Exception exception, string hub, RoutingSource source, string deviceId);
}
