namespace DeviceFabric.Transfers;

/// <summary>A transfer job's stored state: what was asked, where it stands, and how far it got (to resume from).</summary>
[GenerateSerializer, Alias("devicefabric.TransferJobState")]
public sealed class TransferJobState
{
    [Id(0)] public TransferRequest? Request { get; set; }

    [Id(1)] public TransferStatus Status { get; set; }

    [Id(2)] public int Progress { get; set; }

    [Id(3)] public long Succeeded { get; set; }

    [Id(4)] public long Failed { get; set; }

    [Id(5)] public string? FailureReason { get; set; }

    [Id(6)] public List<TransferError> Errors { get; set; } = [];

    [Id(7)] public DateTimeOffset CreatedTime { get; set; }

    [Id(8)] public DateTimeOffset? StartedTime { get; set; }

    [Id(9)] public DateTimeOffset? EndedTime { get; set; }

    /// <summary>Import: the lines handled so far, in order; a resumed import skips them.</summary>
    [Id(10)] public long LinesDone { get; set; }
}
