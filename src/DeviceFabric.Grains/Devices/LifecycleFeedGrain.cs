using DeviceFabric.Events;
using DeviceFabric.Persistence;
using DeviceFabric.Streams;
using Orleans.Streams;

namespace DeviceFabric.Devices;

/// <summary>
/// Keeps a hub's latest lifecycle events, heard from its lifecycle stream. Storing them per event would make one grain
/// write once per connect of the whole fleet (a reconnect storm would queue on it), so they are stored every
/// <see cref="s_storePeriod"/> while new ones arrived, and when the grain deactivates.
/// </summary>
[ImplicitStreamSubscription(FabricStreams.LifecycleNamespace)]
internal sealed class LifecycleFeedGrain(
    [PersistentState("lifecycleFeed", GrainStorage.Name)] IPersistentState<LifecycleFeedState> state) : Grain, ILifecycleFeedGrain
{
    private static readonly TimeSpan s_storePeriod = TimeSpan.FromSeconds(30);
    private bool _dirty;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var hub = this.GetPrimaryKeyString();
        await this.GetStreamProvider(FabricStreams.ProviderName)
            .GetStream<DeviceLifecycleEvent>(StreamId.Create(FabricStreams.LifecycleNamespace, hub))
            .SubscribeAsync((e, _) => HeardAsync(e));
        this.RegisterGrainTimer(StoreAsync, new GrainTimerCreationOptions(s_storePeriod, s_storePeriod));
    }

    public Task<IReadOnlyList<DeviceLifecycleEvent>> RecentAsync(int top, CancellationToken cancellationToken = default)
    {
        if (top is < 1 or > ILifecycleFeedGrain.MaxEvents)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"top must be from 1 to {ILifecycleFeedGrain.MaxEvents}.");
        }

        var events = state.State.Events;
        var recent = new List<DeviceLifecycleEvent>(Math.Min(top, events.Count));
        for (var i = events.Count - 1; i >= 0 && recent.Count < top; i--)
        {
            recent.Add(events[i]);
        }

        return Task.FromResult<IReadOnlyList<DeviceLifecycleEvent>>(recent);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => StoreAsync(cancellationToken);

    private Task HeardAsync(DeviceLifecycleEvent e)
    {
        var events = state.State.Events;
        events.Add(e);
        if (events.Count > ILifecycleFeedGrain.MaxEvents)
        {
            events.RemoveRange(0, events.Count - ILifecycleFeedGrain.MaxEvents);
        }

        _dirty = true;
        return Task.CompletedTask;
    }

    private async Task StoreAsync(CancellationToken cancellationToken)
    {
        // Calls and stream events wait while this runs (the grain is not reentrant), so none is marked stored unstored.
        if (_dirty)
        {
            await state.WriteStateAsync(cancellationToken);
            _dirty = false;
        }
    }
}

/// <summary>What a lifecycle feed grain stores. Ids are the storage contract: append only, never renumber.</summary>
[GenerateSerializer, Alias("devicefabric.LifecycleFeedState")]
public sealed class LifecycleFeedState
{
    /// <summary>The latest events, oldest first.</summary>
    [Id(0)] public List<DeviceLifecycleEvent> Events { get; set; } = [];
}
