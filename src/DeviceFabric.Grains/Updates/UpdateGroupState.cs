namespace DeviceFabric.Updates;

/// <summary>What a group grain stores: its deployments and which one is active. Ids are append only.</summary>
[GenerateSerializer, Alias("devicefabric.UpdateGroupState")]
public sealed class UpdateGroupState
{
    [Id(0)] public Dictionary<string, UpdateDeploymentRecord> Deployments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The operator's deployment devices of the group get (its rollback, if any, beside it); null when none.</summary>
    [Id(1)] public string? ActiveId { get; set; }
}

/// <summary>A deployment and its rollout's progress.</summary>
[GenerateSerializer, Alias("devicefabric.UpdateDeploymentRecord")]
public sealed class UpdateDeploymentRecord
{
    [Id(0)] public required UpdateDeployment Deployment { get; set; }

    /// <summary>The service object devices get, without its workflow: update manifest, signature and file URLs (JSON).</summary>
    [Id(1)] public required string DeliveryJson { get; set; }

    /// <summary>The update's compatibility entries.</summary>
    [Id(2)] public required IReadOnlyList<IReadOnlyDictionary<string, string>> Compatibility { get; set; }

    /// <summary>The rollout's release threshold (<see cref="Configurations.ConfigurationRollout.Below"/>).</summary>
    [Id(3)] public long Below { get; set; }

    /// <summary>When the current wave was released.</summary>
    [Id(4)] public DateTimeOffset? WaveReleasedAt { get; set; }

    /// <summary>When the current wave was first seen with nothing in progress.</summary>
    [Id(5)] public DateTimeOffset? WaveSettledAt { get; set; }

    /// <summary>The compatible device classes seen, with their properties.</summary>
    [Id(6)] public Dictionary<string, Dictionary<string, string>> Classes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The retry token each class got last (a group retry gives every class one).</summary>
    [Id(7)] public Dictionary<string, DateTimeOffset> RetryByClass { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Devices confirming their health: when their success was first seen, and whether they were seen healthy.</summary>
    [Id(8)] public Dictionary<string, HealthWatch> Confirming { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Devices that passed the health check.</summary>
    [Id(9)] public HashSet<string> Confirmed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Devices that reported success but failed the health check, with their class.</summary>
    [Id(10)] public Dictionary<string, string> HealthFailed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>For a cloud-initiated rollback: the workflow id of the deployment it rolls back.</summary>
    [Id(11)] public string? RollbackOf { get; set; }

    /// <summary>When the file URLs in <see cref="DeliveryJson"/> expire (they are signed afresh at half their life).</summary>
    [Id(12)] public DateTimeOffset UrlsExpireAt { get; set; }
}

/// <summary>A device confirming its health after reporting success.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.HealthWatch")]
public sealed record HealthWatch([property: Id(0)] DateTimeOffset Since, [property: Id(1)] bool SeenHealthy, [property: Id(2)] string DeviceClassId);
