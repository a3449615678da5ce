namespace DeviceFabric.Transfers;

/// <summary>
/// A transfer job to start. Files are named as IoT Hub's containers and blobs are: a folder (<c>file:</c> URI or a path)
/// under the fabric's transfer directory (<see cref="TransferOptions.Directory"/>) and a file name in it.
/// </summary>
/// <param name="Type">What the job does.</param>
/// <param name="InputFolder">Import: the folder the devices are read from.</param>
/// <param name="InputFile">Import: the file read; default <c>devices.txt</c>.</param>
/// <param name="OutputFolder">Import: where <c>importErrors.log</c> goes; export: where the devices go.</param>
/// <param name="OutputFile">Export: the file written; default <c>devices.txt</c>.</param>
/// <param name="ExcludeKeys">Export: write keys as null.</param>
/// <param name="TargetHub">Migrate: the hub (name or host name) the devices move to.</param>
/// <param name="DeviceId">Migrate: the one device to move.</param>
/// <param name="QueryCondition">Migrate: the WHERE condition that picks the devices to move, when no device id is given.</param>
/// <param name="IncludeReported">Migrate: carry reported properties too (tags and desired always move).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.TransferRequest")]
public sealed record TransferRequest(
    [property: Id(0)] TransferType Type,
    [property: Id(1)] string? InputFolder = null,
    [property: Id(2)] string? InputFile = null,
    [property: Id(3)] string? OutputFolder = null,
    [property: Id(4)] string? OutputFile = null,
    [property: Id(5)] bool ExcludeKeys = false,
    [property: Id(6)] string? TargetHub = null,
    [property: Id(7)] string? DeviceId = null,
    [property: Id(8)] string? QueryCondition = null,
    [property: Id(9)] bool IncludeReported = false);
