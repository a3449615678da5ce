namespace DeviceFabric.Telemetry;

/// <summary>Reads of the log as every reader makes them, with a record that does not decode turned into the fabric's 400.</summary>
public static class TelemetryReads
{
    /// <summary>Reads a partition; an offset that is not an event's is refused as an argument, not a failure.</summary>
    public static async Task<TelemetryReadResult> ReadAsync(
        ITelemetryLog log, string hub, int partition, EventPosition position, int maxCount, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        try
        {
            return await log.ReadAsync(hub, partition, position, maxCount, maxWait, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"Offset {position.Offset} of partition {partition} is not where an event starts.");
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, ex.Message);
        }
    }
}
