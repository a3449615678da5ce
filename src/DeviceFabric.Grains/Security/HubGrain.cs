using DeviceFabric.Persistence;

namespace DeviceFabric.Security;

/// <summary>A hub's shared access policies: IoT Hub's five defaults with fresh keys, created once and stored.</summary>
internal sealed class HubGrain(
    [PersistentState("hub", GrainStorage.Name)] IPersistentState<HubState> state) : Grain, IHubGrain
{
    public async Task<IReadOnlyList<SharedAccessPolicy>> GetAccessPoliciesAsync(CancellationToken cancellationToken = default)
    {
        if (state.State.Policies.Count == 0)
        {
            state.State.Policies = SharedAccessPolicy.Defaults
                .Select(p => new SharedAccessPolicy(p.KeyName, p.Rights, SymmetricKeys.Generate(), SymmetricKeys.Generate()))
                .ToList();
            await state.WriteStateAsync(cancellationToken);
        }

        return state.State.Policies;
    }
}
