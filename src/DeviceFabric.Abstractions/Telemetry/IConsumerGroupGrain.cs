namespace DeviceFabric.Telemetry;

/// <summary>
/// One consumer group of a hub's telemetry log (key: <c>{hub}/{group}</c>): the checkpoint of each partition, the
/// offset of the last event the group has processed there. Groups are independent, as Event Hubs' are: each reads at
/// its own pace and resumes after its own checkpoints.
/// </summary>
public interface IConsumerGroupGrain : IGrainWithStringKey
{
    /// <summary>Stores the checkpoint of <paramref name="partition"/>; completes once it is durable.</summary>
    Task CheckpointAsync(int partition, long offset, CancellationToken cancellationToken = default);

    /// <summary>The group's checkpoints by partition (partitions it never checkpointed are missing).</summary>
    Task<IReadOnlyDictionary<int, long>> GetCheckpointsAsync(CancellationToken cancellationToken = default);
}

/// <summary>The names and keys of consumer groups.</summary>
public static class ConsumerGroups
{
    /// <summary>The group every hub has, as Event Hubs' <c>$Default</c>.</summary>
    public const string Default = "$Default";

    /// <summary>The grain key of a hub's group; refuses a name Event Hubs would (1-50 letters, digits, '.', '_', '-', or <c>$Default</c>).</summary>
    public static string Key(string hub, string group) => IsValid(group)
        ? string.Concat(hub, "/", group)
        : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "A consumer group name is 1 to 50 letters, digits, '.', '_' or '-' (or $Default).");

    /// <summary>Whether <paramref name="group"/> is a consumer group name.</summary>
    public static bool IsValid(string? group) =>
        group == Default
        || (group is { Length: >= 1 and <= 50 } && char.IsAsciiLetterOrDigit(group[0]) && group.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'));

    /// <summary>Refuses a partition the hub's log does not have.</summary>
    public static int Partition(int partition) => partition is >= 0 and < Streams.FabricStreams.TelemetryPartitions
        ? partition
        : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"The hub's telemetry has partitions 0 to {Streams.FabricStreams.TelemetryPartitions - 1}.");
}
