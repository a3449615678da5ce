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
    private static readonly TimeSpan s_longestImport = TimeSpan.FromHours(1);
    private readonly CancellationTokenSource _cancel = new();
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

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A run still going when the grain goes is cancelled and awaited, so the next activation's never runs beside it.
        await _cancel.CancelAsync();
        if (_running is { } running)
        {
            await running.WaitAsync(cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Current);
        }
    }

    private async Task RunAsync()
    {
        var (hub, _) = Key;
        var directory = options.Value.Directory;
        var request = state.State.Request!;
        var staged = new List<StagedFile>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
        deadline.CancelAfter(s_longestImport);

        // Downloads run between calls: the grain must not be collected as idle in the middle of one.
        DelayDeactivation(s_longestImport);
        UpdateId? updateId = null;
        try
        {
            await SetAsync("Running", null, null, null);
            var manifestFile = await downloader.StageAsync(request.ManifestUrl, "importManifest", directory, hub, MaxManifestBytes, deadline.Token);
            staged.Add(manifestFile);
            if (manifestFile.SizeInBytes != request.ManifestSizeInBytes || manifestFile.Sha256 != request.ManifestSha256)
            {
                throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The import manifest downloaded is not the one importManifest's sizeInBytes and hashes.sha256 describe.");
            }

            // The manifest is read first, so nothing is downloaded that it does not name, nor more than it says.
            var manifest = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(UpdateFiles.StagedPath(directory, hub, manifestFile.StagingName), deadline.Token));
            var parsed = ImportManifestRules.Parse(manifest, clock.Time.GetUtcNow());
            updateId = parsed.UpdateId;
            var sizes = parsed.Files.SelectMany(f => f.RelatedFiles.Prepend(f)).ToDictionary(f => f.FileName, f => f.SizeInBytes, StringComparer.Ordinal);
            if (request.Files.Select(f => f.FileName).Order(StringComparer.Ordinal) is var listed && !listed.SequenceEqual(sizes.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            {
                throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"files must list exactly the files the import manifest names: {string.Join(", ", sizes.Keys.Order(StringComparer.Ordinal))}.");
            }

            var files = new List<StagedFile>();
            foreach (var file in request.Files)
            {
                var one = await downloader.StageAsync(file.Url, file.FileName, directory, hub, sizes[file.FileName], deadline.Token);
                staged.Add(one);
                files.Add(one);
            }

            await ImportAsync(hub, manifest, files);
            await SetAsync("Succeeded", updateId, null, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var code = ex is DeviceFabricException fabric ? fabric.Code.WireName() : "DownloadFailed";
            LogImportFailed(logger, hub, Key.OperationId, code);
            await SetAsync("Failed", updateId, code, ex is DeviceFabricException or HttpRequestException ? ex.Message : $"The download failed: {ex.GetType().Name}.");
        }
        finally
        {
            foreach (var file in staged)
            {
                File.Delete(UpdateFiles.StagedPath(directory, hub, file.StagingName));
            }
        }
    }

    /// <summary>Imports into the catalog; a run taken up again after the import was stored finds its own update there.</summary>
    private async Task ImportAsync(string hub, string manifest, List<StagedFile> files)
    {
        var catalog = GrainFactory.GetGrain<IUpdateCatalogGrain>(hub);
        try
        {
            await catalog.ImportAsync(manifest, files);
        }
        catch (DeviceFabricException ex) when (ex.Code == DeviceFabricErrorCode.UpdateAlreadyExists)
        {
            // Stored by this same import before the process stopped (the same manifest): done; else it is a conflict.
            var stored = await catalog.GetAsync(ImportManifestRules.Parse(manifest, clock.Time.GetUtcNow()).UpdateId);
            if (stored.ImportManifestJson != manifest)
            {
                throw;
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
