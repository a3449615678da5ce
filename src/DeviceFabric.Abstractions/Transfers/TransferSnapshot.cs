namespace DeviceFabric.Transfers;

/// <summary>A transfer job as its callers see it.</summary>
/// <param name="JobId">The job's id.</param>
/// <param name="Request">What was asked, with the default file names filled in.</param>
/// <param name="Status">Where it is.</param>
/// <param name="Progress">Percent done, 0 to 100.</param>
/// <param name="Succeeded">Devices (or lines) handled.</param>
/// <param name="Failed">Devices (or lines) that failed, each in the error log (import) or <see cref="Errors"/>.</param>
/// <param name="FailureReason">Why the whole job failed, if it did.</param>
/// <param name="Errors">The first failures, each with its line number (import) or device id and reason.</param>
/// <param name="CreatedTime">When it was accepted.</param>
/// <param name="StartedTime">When it started.</param>
/// <param name="EndedTime">When it ended.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.TransferSnapshot")]
public sealed record TransferSnapshot(
    [property: Id(0)] string JobId,
    [property: Id(1)] TransferRequest Request,
    [property: Id(2)] TransferStatus Status,
    [property: Id(3)] int Progress,
    [property: Id(4)] long Succeeded,
    [property: Id(5)] long Failed,
    [property: Id(6)] string? FailureReason,
    [property: Id(7)] IReadOnlyList<TransferError> Errors,
    [property: Id(8)] DateTimeOffset CreatedTime,
    [property: Id(9)] DateTimeOffset? StartedTime,
    [property: Id(10)] DateTimeOffset? EndedTime);

/// <summary>One failed line or device.</summary>
/// <param name="Line">The line of the import file (1-based), or 0 for a device of an export or migration.</param>
/// <param name="DeviceId">The device, when known.</param>
/// <param name="Code">The error, in the fabric's vocabulary.</param>
/// <param name="Message">Why.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.TransferError")]
public sealed record TransferError(
    [property: Id(0)] long Line,
    [property: Id(1)] string? DeviceId,
    [property: Id(2)] DeviceFabricErrorCode Code,
    [property: Id(3)] string Message);
