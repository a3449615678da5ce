using DeviceFabric.Jobs;
using DeviceFabric.Persistence;

namespace DeviceFabric.Transfers;

/// <summary>A hub's transfer jobs: which one runs, and the latest ones (see <see cref="ITransferDirectoryGrain"/>).</summary>
internal sealed class TransferDirectoryGrain(
    [PersistentState("transfers", GrainStorage.Name)] IPersistentState<TransferDirectoryState> state) : Grain, ITransferDirectoryGrain
{
    public async Task<bool> TryStartAsync(string jobId, CancellationToken cancellationToken = default)
    {
        if (state.State.Running is { } running && running != jobId)
        {
            return false;
        }

        state.State.Running = jobId;
        state.State.Recent.Remove(jobId);
        state.State.Recent.Insert(0, jobId);
        if (state.State.Recent.Count > ITransferDirectoryGrain.Remembered)
        {
            state.State.Recent.RemoveRange(ITransferDirectoryGrain.Remembered, state.State.Recent.Count - ITransferDirectoryGrain.Remembered);
        }

        await state.WriteStateAsync(cancellationToken);
        return true;
    }

    public async Task EndedAsync(string jobId, CancellationToken cancellationToken = default)
    {
        if (state.State.Running == jobId)
        {
            state.State.Running = null;
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Recent]);

    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        if (state.State.Running is { } running)
        {
            await GrainFactory.GetGrain<ITransferJobGrain>(JobKey.Create(this.GetPrimaryKeyString(), running)).ResumeAsync(cancellationToken);
        }
    }
}

/// <summary>A hub's stored transfer directory.</summary>
[GenerateSerializer, Alias("devicefabric.TransferDirectoryState")]
public sealed class TransferDirectoryState
{
    [Id(0)] public string? Running { get; set; }

    [Id(1)] public List<string> Recent { get; set; } = [];
}
