namespace DeviceFabric.Jobs;

/// <summary>What a job slice stores: its plan, its devices' rows and whether it has ended.</summary>
[GenerateSerializer, Alias("devicefabric.JobSliceState")]
public sealed class JobSliceState
{
    [Id(0)] public JobPlan? Plan { get; set; }

    [Id(1)] public Dictionary<string, DeviceJobRow> Rows { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public bool Finished { get; set; }
}
