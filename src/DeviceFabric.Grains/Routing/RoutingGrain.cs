using System.Globalization;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;

namespace DeviceFabric.Routing;

/// <summary>
/// A hub's routing settings. A write is validated whole, stored, then handed to every endpoint's delivery grains (one
/// per partition); deliveries of removed endpoints are stopped. The built-in endpoint has deliveries too: they carry
/// routed non-telemetry events into it (device telemetry is always there: it is the log the PUBACK waits on).
/// </summary>
internal sealed class RoutingGrain(
    [PersistentState("routing", DeviceFabric.Persistence.GrainStorage.Name)] IPersistentState<RoutingState> state) : Grain, IRoutingGrain
{
    public Task<RoutingSettings> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(state.State.Settings);

    public async Task<RoutingSettings> PutAsync(RoutingSettings settings, string? ifMatch, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(ifMatch) && ifMatch != "*" && ifMatch.Trim('"') != state.State.Settings.ETag)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, "The routing settings changed since they were read (If-Match).");
        }

        RoutingRules.Validate(settings);
        var before = state.State.Settings;
        var stored = settings with { ETag = (++state.State.Version).ToString(CultureInfo.InvariantCulture) };
        state.State.Settings = stored;
        await state.WriteStateAsync(cancellationToken);
        foreach (var removed in before.Endpoints.Where(e => stored.Endpoints.All(s => s.Name != e.Name)))
        {
            await ForEachPartitionAsync(removed.Name, d => d.StopAsync());
        }

        await ResumeAsync();
        return stored;
    }

    public async Task ResumeAsync()
    {
        var settings = state.State.Settings;
        if (settings.Routes.Count == 0 && settings.Endpoints.Count == 0)
        {
            return;
        }

        foreach (var endpoint in settings.Endpoints.Select(e => e.Name).Append(TelemetryLogNames.BuiltIn))
        {
            await ForEachPartitionAsync(endpoint, d => d.StartAsync(settings));
        }
    }

    private async Task ForEachPartitionAsync(string endpoint, Func<IRouteDeliveryGrain, Task> call)
    {
        var hub = this.GetPrimaryKeyString();
        for (var p = 0; p < FabricStreams.TelemetryPartitions; p++)
        {
            await call(GrainFactory.GetGrain<IRouteDeliveryGrain>(string.Create(CultureInfo.InvariantCulture, $"{hub}/{endpoint}/{p}")));
        }
    }
}

/// <summary>What a hub's routing grain stores.</summary>
[GenerateSerializer, Alias("devicefabric.RoutingState")]
public sealed class RoutingState
{
    /// <summary>The settings.</summary>
    [Id(0)] public RoutingSettings Settings { get; set; } = RoutingSettings.Empty;

    /// <summary>Grows with every write; the settings' ETag.</summary>
    [Id(1)] public long Version { get; set; }
}
