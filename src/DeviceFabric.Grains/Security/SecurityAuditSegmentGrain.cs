using DeviceFabric.Persistence;

namespace DeviceFabric.Security;

internal sealed class SecurityAuditSegmentGrain(
    [PersistentState("auditsegment", GrainStorage.Name)] IPersistentState<SecurityAuditSegmentState> state) : Grain, ISecurityAuditSegmentGrain
{
    public async Task StoreAsync(IReadOnlyList<SecurityAuditEvent> events)
    {
        state.State.Events = [.. events];
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<SecurityAuditEvent>> GetAsync() => Task.FromResult<IReadOnlyList<SecurityAuditEvent>>(state.State.Events);

    public async Task ClearAsync()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
