using DeviceFabric.Persistence;

namespace DeviceFabric.Alerts;

/// <summary>A full segment of a hub's alert history. Key: <c>{hub}/{segment}</c>.</summary>
[Alias("devicefabric.IAlertHistorySegmentGrain")]
internal interface IAlertHistorySegmentGrain : IGrainWithStringKey
{
    Task StoreAsync(IReadOnlyList<AlertEvent> events);

    [Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<AlertEvent>> GetAsync();

    Task ClearAsync();
}

internal sealed class AlertHistorySegmentGrain(
    [PersistentState("alertsegment", GrainStorage.Name)] IPersistentState<AlertHistorySegmentState> state) : Grain, IAlertHistorySegmentGrain
{
    public async Task StoreAsync(IReadOnlyList<AlertEvent> events)
    {
        state.State.Events = [.. events];
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<AlertEvent>> GetAsync() => Task.FromResult<IReadOnlyList<AlertEvent>>(state.State.Events);

    public async Task ClearAsync()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
