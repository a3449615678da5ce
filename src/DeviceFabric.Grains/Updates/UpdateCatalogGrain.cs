using DeviceFabric.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Updates;

/// <summary>
/// A hub's imported updates. An import checks the manifest (<see cref="ImportManifestRules"/>), then that every file it
/// names came with its size and SHA-256, moves the files into place (one copy per content), and only then stores the
/// update: a file is never missing behind a stored update, and a crash leaves at most an unreferenced file.
/// </summary>
internal sealed partial class UpdateCatalogGrain(
    [PersistentState("updates", GrainStorage.Name)] IPersistentState<UpdateCatalogState> state,
    Hosting.GrainClock clock,
    IOptions<UpdateOptions> options,
    UpdateManifestSigner signer,
    ILogger<UpdateCatalogGrain> logger) : Grain, IUpdateCatalogGrain
{
    private string Hub => this.GetPrimaryKeyString();

    public async Task<UpdateRecord> ImportAsync(string importManifestJson, IReadOnlyList<StagedFile> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        try
        {
            var now = clock.Time.GetUtcNow();
            var manifest = ImportManifestRules.Parse(importManifestJson, now);
            var key = Key(manifest.UpdateId);
            if (state.State.Updates.ContainsKey(key))
            {
                throw new DeviceFabricException(DeviceFabricErrorCode.UpdateAlreadyExists, $"Update {key} is already imported; delete it first.");
            }

            if (state.State.Updates.Count >= UpdateOptions.MaxUpdates)
            {
                throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"A hub keeps at most {UpdateOptions.MaxUpdates} updates; delete some first.");
            }

            var updateFiles = Match(manifest, files);
            var placed = updateFiles.Where(f => Place(f.File, f.Staged)).Select(f => f.File).ToList();

            var fileIds = updateFiles.ToDictionary(f => f.File.FileName, f => f.File.FileId, StringComparer.Ordinal);
            var record = new UpdateRecord(
                manifest.UpdateId, manifest.Description, manifest.IsDeployable, manifest.Compatibility, manifest.ManifestVersion,
                manifest.CreatedDateTime, now, importManifestJson, ImportManifestRules.UpdateManifest(manifest, fileIds),
                [.. updateFiles.Select(f => f.File)], Devices.ETags.FromVersion(state.State.ETagCounter + 1));
            state.State.Updates[key] = record;
            state.State.ETagCounter++;
            try
            {
                // Not cancelled by the caller: the files are in place, only the record is missing.
                await state.WriteStateAsync(CancellationToken.None);
            }
            catch
            {
                state.State.Updates.Remove(key);
                state.State.ETagCounter--;
                foreach (var file in placed)
                {
                    File.Delete(UpdateFiles.PathOf(options.Value.Directory, Hub, file));
                }

                throw;
            }

            LogImported(logger, Hub, key, record.Files.Count);
            return record;
        }
        finally
        {
            foreach (var staged in files)
            {
                File.Delete(UpdateFiles.StagedPath(options.Value.Directory, Hub, staged.StagingName));
            }
        }
    }

    public Task<UpdateRecord> GetAsync(UpdateId updateId, CancellationToken cancellationToken = default) =>
        state.State.Updates.TryGetValue(Key(updateId), out var record) ? Task.FromResult(record) : throw NotFound(updateId);

    public Task<IReadOnlyList<UpdateRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<UpdateRecord>>([.. state.State.Updates.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => u.Value)]);

    public async Task<UpdateDelivery> GetDeliveryAsync(UpdateId updateId, CancellationToken cancellationToken = default)
    {
        var update = await GetAsync(updateId, cancellationToken);
        return new UpdateDelivery(update.UpdateManifestJson, signer.Sign(update.UpdateManifestJson));
    }

    public Task<string> GetSigningKeyAsync(CancellationToken cancellationToken = default) => Task.FromResult(signer.PublicJwk().ToJsonString());

    public async Task DeleteAsync(UpdateId updateId, CancellationToken cancellationToken = default)
    {
        var key = Key(updateId);
        if (!state.State.Updates.Remove(key, out var record))
        {
            throw NotFound(updateId);
        }

        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            state.State.Updates[key] = record;
            throw;
        }

        // After the write: a crash before this leaves files nothing names, never an update without its files.
        var kept = state.State.Updates.Values.SelectMany(u => u.Files).Select(f => f.ContentName).ToHashSet(StringComparer.Ordinal);
        foreach (var file in record.Files.Where(f => !kept.Contains(f.ContentName)))
        {
            File.Delete(UpdateFiles.PathOf(options.Value.Directory, Hub, file));
        }

        LogDeleted(logger, Hub, key);
    }

    /// <summary>Pairs each file the manifest names with the one that came for it, checking both ways.</summary>
    private static List<(UpdateFile File, StagedFile Staged)> Match(ImportManifest manifest, IReadOnlyList<StagedFile> files)
    {
        var byName = new Dictionary<string, StagedFile>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!byName.TryAdd(file.FileName, file))
            {
                throw Invalid($"The file {file.FileName} came twice.");
            }
        }

        var matched = new List<(UpdateFile, StagedFile)>();
        var named = manifest.Files.SelectMany(f => f.RelatedFiles.Prepend(f)).ToList();
        for (var i = 0; i < named.Count; i++)
        {
            var expected = named[i];
            if (!byName.Remove(expected.FileName, out var staged))
            {
                throw Invalid($"importManifest.files names {expected.FileName}, which did not come with it.");
            }

            if (staged.SizeInBytes != expected.SizeInBytes || staged.Sha256 != expected.Sha256Base64)
            {
                throw Invalid($"The file {expected.FileName} is not the one importManifest.files describes: it came with {staged.SizeInBytes} bytes and SHA-256 {staged.Sha256}, the manifest says {expected.SizeInBytes} bytes and {expected.Sha256Base64}.");
            }

            matched.Add((new UpdateFile($"f{i}", expected.FileName, expected.SizeInBytes, expected.Sha256Base64), staged));
        }

        if (byName.Count > 0)
        {
            throw Invalid($"The file {byName.Keys.First()} came, but importManifest.files does not name it.");
        }

        return matched;
    }

    /// <summary>
    /// Moves a staged file to where its content is kept; a content already there is the same bytes (another update's),
    /// so the copy is dropped. Returns whether this import placed it.
    /// </summary>
    private bool Place(UpdateFile file, StagedFile staged)
    {
        var directory = options.Value.Directory;
        var target = UpdateFiles.PathOf(directory, Hub, file);
        var source = UpdateFiles.StagedPath(directory, Hub, staged.StagingName);
        if (File.Exists(target))
        {
            File.Delete(source);
            return false;
        }

        File.Move(source, target);
        return true;
    }

    private static string Key(UpdateId id) => $"{id.Provider}/{id.Name}/{id.Version}";

    private static DeviceFabricException NotFound(UpdateId id) =>
        new(DeviceFabricErrorCode.UpdateNotFound, $"Update {Key(id)} not found.");

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Update {Hub}/{Update} imported with {Files} files")]
    private static partial void LogImported(ILogger logger, string hub, string update, int files);

    [LoggerMessage(Level = LogLevel.Information, Message = "Update {Hub}/{Update} deleted")]
    private static partial void LogDeleted(ILogger logger, string hub, string update);
}
