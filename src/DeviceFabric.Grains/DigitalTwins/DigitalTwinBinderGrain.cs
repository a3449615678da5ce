using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Devices;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using DeviceFabric.Twins;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceFabric.DigitalTwins;

/// <summary>Marker for the binder's implicit subscriptions.</summary>
internal interface IDigitalTwinBinderGrain : IGrainWithStringKey;

/// <summary>
/// Keeps digital twins up to date from their devices: it reads the telemetry partitions and the twin-change stream
/// as any backend does (never in a device's publish path), finds the twin a device is bound to (its own binding, or a
/// rule for the Plug and Play model id it announced) and hands the twin the values: a reported patch, or a telemetry
/// body (a component's when the message names one in <c>$.sub</c>). The twin keeps those its model defines.
/// </summary>
[ImplicitStreamSubscription(FabricStreams.TelemetryNamespace)]
[ImplicitStreamSubscription(FabricStreams.TwinChangesNamespace)]
internal sealed partial class DigitalTwinBinderGrain(
    Hosting.GrainClock clock,
    Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime,
    ILogger<DigitalTwinBinderGrain> logger) : Grain, IDigitalTwinBinderGrain
{
    private const int MaxBody = 32 * 1024;
    private const int MaxDevicesKnown = 20_000;
    private static readonly TimeSpan s_recheck = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_modelTtl = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, (string? Model, DateTimeOffset At)> _models = new(StringComparer.Ordinal);
    private DigitalTwinBindings _bindings = new(-1, [], new Dictionary<string, string>());
    private DateTimeOffset _checkedAt;
    private string _hub = string.Empty;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _hub = key.Contains('/', StringComparison.Ordinal) ? key[..key.LastIndexOf('/')] : key;
        var provider = this.GetStreamProvider(FabricStreams.ProviderName);
        if (key.Contains('/', StringComparison.Ordinal))
        {
            await provider.GetStream<TelemetryBatch>(StreamId.Create(FabricStreams.TelemetryNamespace, key)).SubscribeAsync((batch, _) => TelemetryAsync(batch));
        }
        else
        {
            await provider.GetStream<TwinChangeEvent>(StreamId.Create(FabricStreams.TwinChangesNamespace, key)).SubscribeAsync((change, _) => TwinChangedAsync(change));
        }
    }

    private Task TelemetryAsync(TelemetryBatch batch) => GuardedAsync(() => ApplyTelemetryAsync(batch));

    private Task TwinChangedAsync(TwinChangeEvent change) => GuardedAsync(() => ApplyReportedAsync(change));

    /// <summary>
    /// Never fails the stream: a value lost here is the next one's to bring (devices report again). Failures while the
    /// node stops (grain calls cut off) are expected and logged at debug level only.
    /// </summary>
    private async Task GuardedAsync(Func<Task> handle)
    {
        try
        {
            await handle();
        }
        catch (Exception ex) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            LogStopping(logger, ex, _hub);
        }
        catch (Exception ex)
        {
            LogApplyFailed(logger, ex, _hub, "(stream)");
        }
    }

    private async Task ApplyTelemetryAsync(TelemetryBatch batch)
    {
        if (!await AnyBindingsAsync())
        {
            return;
        }

        foreach (var message in batch.Messages.Where(m => m.ModuleId is null && m.Body.Length is > 0 and <= MaxBody))
        {
            JsonObject? body;
            try
            {
                body = JsonNode.Parse(Encoding.UTF8.GetString(message.Body), documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonObject;
            }
            catch (JsonException)
            {
                continue;
            }

            if (body is not null)
            {
                await ApplyAsync(message.DeviceId, body, message.SystemProperties.GetValueOrDefault("$.sub"), message.EnqueuedTime);
            }
        }
    }

    private async Task ApplyReportedAsync(TwinChangeEvent change)
    {
        if (change.ModuleId is not null || !await AnyBindingsAsync() || JsonNode.Parse(change.Patch)?["properties"]?["reported"] is not JsonObject reported)
        {
            return;
        }

        await ApplyAsync(change.DeviceId, reported, component: null, change.Time);
    }

    private async Task ApplyAsync(string deviceId, JsonObject values, string? component, DateTimeOffset sourceTime)
    {
        try
        {
            if (await TwinOfAsync(deviceId) is not { } binding)
            {
                return;
            }

            await GrainFactory.GetGrain<IDigitalTwinDeviceGrain>(DigitalTwinKeys.Key(_hub, binding.TwinId))
                .ApplyDeviceDataAsync(deviceId, binding.RuleModel, binding.CreateWithModel, values.ToJsonString(), component, sourceTime);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            LogApplyFailed(logger, ex, _hub, deviceId);
        }
    }

    /// <summary>The twin a device keeps: its own binding first, else the first rule for the model id it announced.</summary>
    private async Task<(string TwinId, string? RuleModel, string? CreateWithModel)?> TwinOfAsync(string deviceId)
    {
        if (_bindings.Devices!.TryGetValue(deviceId, out var twinId))
        {
            return (twinId, null, null);
        }

        if (_bindings.Rules!.Count == 0 || await ModelOfAsync(deviceId) is not { } model
            || _bindings.Rules!.FirstOrDefault(r => r.ModelId == model) is not { } rule)
        {
            return null;
        }

        // A twin another device is bound to one by one is not a rule's to write.
        var target = rule.TwinIdOf(deviceId);
        return _bindings.Devices.Values.Contains(target, StringComparer.Ordinal) ? null : (target, rule.ModelId, rule.CreateTwins ? model : null);
    }

    private async Task<string?> ModelOfAsync(string deviceId)
    {
        var now = clock.Time.GetUtcNow();
        if (_models.TryGetValue(deviceId, out var known) && now - known.At < s_modelTtl)
        {
            return known.Model;
        }

        var identity = await GrainFactory.GetGrain<IDeviceIdentityGrain>(DeviceKey.Create(_hub, deviceId)).GetAsync();
        if (_models.Count >= MaxDevicesKnown)
        {
            _models.Clear();
        }

        _models[deviceId] = (identity?.ModelId, now);
        return identity?.ModelId;
    }

    private async Task<bool> AnyBindingsAsync()
    {
        var now = clock.Time.GetUtcNow();
        if (now - _checkedAt >= s_recheck)
        {
            _checkedAt = now;
            var read = await GrainFactory.GetGrain<IDigitalTwinBindingsGrain>(_hub).GetBindingsAsync(_bindings.Version);
            if (read.Rules is not null)
            {
                _bindings = read;
            }
        }

        return _bindings.Rules!.Count > 0 || _bindings.Devices!.Count > 0;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Digital twin binder of {Hub}: a value was not applied while the node stops")]
    private static partial void LogStopping(ILogger logger, Exception exception, string hub);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digital twin of device {Hub}/{DeviceId}: its values could not be applied")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception, string hub, string deviceId);
}
