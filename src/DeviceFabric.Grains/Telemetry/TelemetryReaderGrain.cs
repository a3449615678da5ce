using DeviceFabric.Routing;
using DeviceFabric.Streams;
using Orleans.Concurrency;

namespace DeviceFabric.Telemetry;

/// <summary>
/// The grain clients' way into the telemetry log. Reentrant, so reads waiting at the tail do not hold up the others;
/// a stateless worker, so each silo serves its own callers from the log it reaches (in a cluster, NATS JetStream).
/// Key: the log. Reads of a hub's built-in log show what its routes send to the built-in endpoint.
/// </summary>
[StatelessWorker, Reentrant]
internal sealed class TelemetryReaderGrain(ITelemetryLog log, TelemetryInstruments instruments) : Grain, ITelemetryReaderGrain
{
    private BuiltInEndpoint? _builtIn;

    public async Task<TelemetryReadResult> ReadAsync(int partition, EventPosition position, int maxCount, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ConsumerGroups.Partition(partition);
        if (maxCount is < 1 or > ITelemetryReaderGrain.MaxCount)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"A read returns 1 to {ITelemetryReaderGrain.MaxCount} events.");
        }

        var wait = maxWait < TimeSpan.Zero ? TimeSpan.Zero : maxWait > ITelemetryReaderGrain.MaxWait ? ITelemetryReaderGrain.MaxWait : maxWait;
        var name = this.GetPrimaryKeyString();
        var read = await TelemetryReads.ReadAsync(log, name, partition, position, maxCount, wait, cancellationToken);
        if (TelemetryLogNames.HubOf(name) == name)
        {
            _builtIn ??= new BuiltInEndpoint(GrainFactory);
            read = await _builtIn.FilterAsync(name, read);
        }

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
