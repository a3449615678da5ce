namespace DeviceFabric.Telemetry;

/// <summary>A consumer group's checkpoints, stored before each checkpoint call returns.</summary>
internal sealed class ConsumerGroupGrain(
    [PersistentState("consumergroup", DeviceFabric.Persistence.GrainStorage.Name)] IPersistentState<ConsumerGroupState> state) : Grain, IConsumerGroupGrain
{
    public async Task CheckpointAsync(int partition, long offset, CancellationToken cancellationToken = default)
    {
        ConsumerGroups.Partition(partition);
        if (offset < 0)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "A checkpoint is an event's offset, never negative.");
        }

        var had = state.State.Checkpoints.TryGetValue(partition, out var current);
        if (had && current == offset)
        {
            return;
        }

        state.State.Checkpoints[partition] = offset;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            // Not stored, so not kept: a reader must not see a checkpoint that a restart would take back.
            if (had)
            {
                state.State.Checkpoints[partition] = current;
            }
            else
            {
                state.State.Checkpoints.Remove(partition);
            }

            throw;
        }
    }

    public Task<IReadOnlyDictionary<int, long>> GetCheckpointsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<int, long>>(new Dictionary<int, long>(state.State.Checkpoints));
}

/// <summary>What a consumer group grain stores.</summary>
[GenerateSerializer, Alias("devicefabric.ConsumerGroupState")]
public sealed class ConsumerGroupState
{
    /// <summary>The offset of the last processed event, by partition.</summary>
    [Id(0)] public Dictionary<int, long> Checkpoints { get; set; } = [];
}
