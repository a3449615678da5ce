using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DeviceFabric.Storage;

/// <summary>
/// Metrics and traces of the single node's SQLite storage (meter and activity source <c>DeviceFabric.Storage</c>): how
/// many writes each group commit carries and how long it takes. Static: the writer is made by the storage provider,
/// before the host's services; one process is one node outside tests.
/// </summary>
public static class StorageInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceFabric.Storage";

    /// <summary>The activity source's name: a span per stored write, a child of the call that asked for it.</summary>
    public const string ActivitySourceName = "DeviceFabric.Storage";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    private static readonly Meter s_meter = new(MeterName);
    private static readonly Histogram<long> s_batchSize = s_meter.CreateHistogram<long>("devicefabric-storage-write-batch-size", "{write}", "Writes stored by one group commit.");
    private static readonly Histogram<double> s_commitDuration = s_meter.CreateHistogram<double>("devicefabric-storage-commit-duration", "ms", "Time one group commit took, its fsync included.");

    internal static void Committed(int writes, TimeSpan elapsed)
    {
        s_batchSize.Record(writes);
        s_commitDuration.Record(elapsed.TotalMilliseconds);
    }
}
