using System.Text;
using DeviceFabric.Devices;
using DeviceFabric.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Updates;

/// <summary>
/// One import by URL. Started, it stores itself as <c>NotStarted</c> and answers; the downloads run in the grain's
/// background (polls interleave), the manifest first (checked against the size and SHA-256 the caller gave), then each
/// file, and the catalog checks the files against the manifest. A poll of an import the process stopped in the middle
/// of starts it again from its stored request.
/// </summary>
internal sealed partial class UpdateImportGrain(
    [PersistentState("updateimport", GrainStorage.Name)] IPersistentState<UpdateImportState> state,
    Hosting.GrainClock clock,
    UpdateDownloader downloader,
    IOptions<UpdateOptions> options,
    ILogger<UpdateImportGrain> logger) : Grain, IUpdateImportGrain
{
    private const int MaxManifestBytes = 64 * 1024;
    private Task? _running;

    private (string Hub, string OperationId) Key => DeviceKey.Parse(this.GetPrimaryKeyString());

    public async Task<ImportOperation> StartAsync(ImportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (state.State.Operation is not null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"Import operation {Key.OperationId} already exists.");
        }

        var now = clock.Time.GetUtcNow();
        state.State.Request = request;
        state.State.Operation = new ImportOperation(Key.OperationId, "NotStarted", null, null, null, now, now);
        await state.WriteStateAsync(cancellationToken);
        _running = RunAsync();
        return state.State.Operation;
    }

    public Task<ImportOperation> GetAsync(CancellationToken cancellationToken = default)
    {
        var operation = state.State.Operation
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.UpdateNotFound, $"Import operation {Key.OperationId} not found.");
        if (operation.Status is "NotStarted" or "Running" && _running is null)
        {
            // The process stopped during the import: this activation takes it up again.
            _running = RunAsync();
        }

        return Task.FromResult(operation);
    }

    private async Task RunAsync()
    {
        var (hub, _) = Key;
        var directory = options.Value.Directory;
        var request = state.State.Request!;
        var staged = new List<StagedFile>();

        // Downloads run between calls: the grain must not be collected as idle in the middle of one.
        DelayDeactivation(TimeSpan.FromHours(1));
        try
        {
            await SetAsync("Running", null, null, null);
            var manifestFile = await downloader.StageAsync(request.ManifestUrl, "importManifest", directory, hub, MaxManifestBytes, CancellationToken.None);
            staged.Add(manifestFile);
            if (manifestFile.SizeInBytes != request.ManifestSizeInBytes || manifestFile.Sha256 != request.ManifestSha256)
            {
                throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The import manifest downloaded is not the one importManifest's sizeInBytes and hashes.sha256 describe.");
            }

            var manifest = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(UpdateFiles.StagedPath(directory, hub, manifestFile.StagingName)));
            var files = new List<StagedFile>();
            foreach (var file in request.Files)
            {
                var one = await downloader.StageAsync(file.Url, file.FileName, directory, hub, ImportManifestRules.MaxFileBytes, CancellationToken.None);
                staged.Add(one);
                files.Add(one);
            }

            var update = await GrainFactory.GetGrain<IUpdateCatalogGrain>(hub).ImportAsync(manifest, files);
            await SetAsync("Succeeded", update.UpdateId, null, null);
        }
        catch (Exception ex) when (ex is DeviceFabricException or HttpRequestException or IOException or TaskCanceledException)
        {
            var code = ex is DeviceFabricException fabric ? fabric.Code.WireName() : "DownloadFailed";
            LogImportFailed(logger, hub, Key.OperationId, code);
            await SetAsync("Failed", state.State.Operation?.UpdateId, code, ex.Message);
        }
        finally
        {
            foreach (var file in staged)
            {
                File.Delete(UpdateFiles.StagedPath(directory, hub, file.StagingName));
            }
        }
    }

    private async Task SetAsync(string status, UpdateId? updateId, string? errorCode, string? errorMessage)
    {
        state.State.Operation = state.State.Operation! with
        {
            Status = status,
            UpdateId = updateId,
            ErrorCode = errorCode,
            ErrorMessage = errorMessage,
            LastActionTime = clock.Time.GetUtcNow(),
        };
        await state.WriteStateAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Update import {Hub}/{OperationId} failed: {Code}")]
    private static partial void LogImportFailed(ILogger logger, string hub, string operationId, string code);
}
