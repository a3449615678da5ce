using DeviceFabric.Jobs;
using DeviceFabric.Transfers;

namespace DeviceFabric.Client;

/// <summary>
/// Imports, exports and migrations of one hub: the same operations, rules and errors as the REST API's
/// <c>/jobs/create</c>. Folders are inside the node's transfer directory; the grain client is trusted, so a migration
/// needs no token of its target hub.
/// </summary>
public sealed class TransfersClient
{
    private readonly IClusterClient _client;
    private readonly string _hub;

    internal TransfersClient(IClusterClient client, string hub)
    {
        _client = client;
        _hub = hub;
    }

    /// <summary>Imports <paramref name="inputFile"/> (default <c>devices.txt</c>) of a folder; failures go to its <c>importErrors.log</c>.</summary>
    public Task<TransferSnapshot> ImportAsync(string jobId, string folder, string? inputFile = null, string? errorsFolder = null, CancellationToken cancellationToken = default) =>
        StartAsync(jobId, new TransferRequest(TransferType.Import, InputFolder: folder, InputFile: inputFile, OutputFolder: errorsFolder ?? folder), cancellationToken);

    /// <summary>Exports every device and its twin to <paramref name="outputFile"/> (default <c>devices.txt</c>) of a folder.</summary>
    public Task<TransferSnapshot> ExportAsync(string jobId, string folder, string? outputFile = null, bool excludeKeys = false, CancellationToken cancellationToken = default) =>
        StartAsync(jobId, new TransferRequest(TransferType.Export, OutputFolder: folder, OutputFile: outputFile, ExcludeKeys: excludeKeys), cancellationToken);

    /// <summary>Moves one device to another hub of the fabric, with its keys, tags and desired properties (and reported ones if asked).</summary>
    public Task<TransferSnapshot> MigrateDeviceAsync(string jobId, string deviceId, string targetHub, bool includeReported = false, CancellationToken cancellationToken = default) =>
        StartAsync(jobId, new TransferRequest(TransferType.Migrate, TargetHub: targetHub, DeviceId: deviceId, IncludeReported: includeReported), cancellationToken);

    /// <summary>Moves every device matching <paramref name="queryCondition"/> to another hub of the fabric.</summary>
    public Task<TransferSnapshot> MigrateDevicesAsync(string jobId, string queryCondition, string targetHub, bool includeReported = false, CancellationToken cancellationToken = default) =>
        StartAsync(jobId, new TransferRequest(TransferType.Migrate, TargetHub: targetHub, QueryCondition: queryCondition, IncludeReported: includeReported), cancellationToken);

    /// <summary>Starts a transfer job from a request.</summary>
    /// <exception cref="DeviceFabricServiceException">Bad request or folder (400), another transfer running (403), or the id is taken (409).</exception>
    public Task<TransferSnapshot> StartAsync(string jobId, TransferRequest request, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Job(jobId).CreateAsync(request, cancellationToken));

    /// <summary>The job, or null when there is none of this id.</summary>
    public Task<TransferSnapshot?> GetAsync(string jobId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Job(jobId).GetAsync(cancellationToken));

    /// <summary>The job once it has ended, or as it stands after <paramref name="within"/> (at most five minutes).</summary>
    public Task<TransferSnapshot> WaitForEndAsync(string jobId, TimeSpan within, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Job(jobId).WaitForEndAsync(within, cancellationToken));

    /// <summary>Cancels the job if it has not ended; what it did stays done.</summary>
    public Task<TransferSnapshot> CancelAsync(string jobId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Job(jobId).CancelAsync(cancellationToken));

    private ITransferJobGrain Job(string jobId)
    {
        JobIdRules.ThrowIfInvalid(jobId);
        return _client.GetGrain<ITransferJobGrain>(JobKey.Create(_hub, jobId));
    }
}
