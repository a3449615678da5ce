namespace DeviceFabric.Updates;

/// <summary>Which groups of a hub have an active deployment, so a restart wakes their rollouts. Key: the hub name.</summary>
[Alias("devicefabric.IUpdateDirectoryGrain")]
internal interface IUpdateDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Records a group's active deployment (null when it has none); returns once stored.</summary>
    Task RecordAsync(string groupId, string? activeDeploymentId, CancellationToken cancellationToken = default);

    /// <summary>Wakes every group with an active deployment.</summary>
    Task ResumeAsync(CancellationToken cancellationToken = default);
}

/// <summary>Waking a group grain (its activation schedules its rollout).</summary>
[Alias("devicefabric.IUpdateGroupControlGrain")]
internal interface IUpdateGroupControlGrain : IGrainWithStringKey
{
    Task ResumeAsync(CancellationToken cancellationToken = default);
}

/// <summary>What the directory stores: each group with an active deployment, and which.</summary>
[GenerateSerializer, Alias("devicefabric.UpdateDirectoryState")]
public sealed class UpdateDirectoryState
{
    [Id(0)] public Dictionary<string, string> ActiveByGroup { get; set; } = new(StringComparer.Ordinal);
}
