using DeviceFabric.Persistence;
using DeviceFabric.Streams;

namespace DeviceFabric.CloudToDevice;

/// <summary>
/// A hub's pending feedback records: stored until received, the oldest dropped beyond <see cref="MaxRecords"/>, and
/// announced on the hub's feedback stream as they arrive (best effort, like every fabric event).
/// </summary>
internal sealed class FeedbackGrain(
    [PersistentState("feedback", GrainStorage.Name)] IPersistentState<FeedbackState> state) : Grain, IFeedbackGrain
{
    public const int MaxRecords = 10_000;

    public async Task AddAsync(IReadOnlyList<FeedbackRecord> records, CancellationToken cancellationToken = default)
    {
        var list = state.State.Records;
        list.AddRange(records);
        if (list.Count > MaxRecords)
        {
            list.RemoveRange(0, list.Count - MaxRecords);
        }

        await state.WriteStateAsync(cancellationToken);
        var stream = this.GetStreamProvider(FabricStreams.ProviderName)
            .GetStream<FeedbackRecord>(StreamId.Create(FabricStreams.FeedbackNamespace, this.GetPrimaryKeyString()));
        foreach (var record in records)
        {
            await stream.OnNextAsync(record);
        }
    }

    public async Task<IReadOnlyList<FeedbackRecord>> ReceiveAsync(int max, CancellationToken cancellationToken = default)
    {
        var list = state.State.Records;
        var taken = list.Take(Math.Clamp(max, 1, 1000)).ToList();
        if (taken.Count > 0)
        {
            list.RemoveRange(0, taken.Count);
            await state.WriteStateAsync(cancellationToken);
        }

        return taken;
    }
}
