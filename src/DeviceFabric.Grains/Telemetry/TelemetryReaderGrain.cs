using DeviceFabric.Streams;
using Orleans.Concurrency;

namespace DeviceFabric.Telemetry;

/// <summary>
/// The grain clients' way into the telemetry log. Reentrant, so reads waiting at the tail do not hold up the others;
/// a stateless worker, so each silo serves its own callers from the log it reaches (in a cluster, NATS JetStream).
/// </summary>
[StatelessWorker, Reentrant]
internal sealed class TelemetryReaderGrain(ITelemetryLog log, TelemetryInstruments instruments) : Grain, ITelemetryReaderGrain
{
    public async Task<TelemetryReadResult> ReadAsync(int partition, EventPosition position, int maxCount, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ConsumerGroups.Partition(partition);
        if (maxCount is < 1 or > ITelemetryReaderGrain.MaxCount)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"A read returns 1 to {ITelemetryReaderGrain.MaxCount} events.");
        }

        var wait = maxWait < TimeSpan.Zero ? TimeSpan.Zero : maxWait > ITelemetryReaderGrain.MaxWait ? ITelemetryReaderGrain.MaxWait : maxWait;
        var read = await TelemetryReads.ReadAsync(log, this.GetPrimaryKeyString(), partition, position, maxCount, wait, cancellationToken);
        instruments.Read("consumer-group", read.Events.Count);
        return read;
    }

    public async Task<IReadOnlyList<TelemetryPartitionInfo>> GetPartitionsAsync(CancellationToken cancellationToken = default)
    {
        var partitions = new TelemetryPartitionInfo[FabricStreams.TelemetryPartitions];
        for (var p = 0; p < partitions.Length; p++)
        {
            partitions[p] = await log.GetPartitionAsync(this.GetPrimaryKeyString(), p, cancellationToken);
        }

        return partitions;
    }
}
