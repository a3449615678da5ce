using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace DeviceFabric.LoadTest;

/// <summary>The agent's workflows: a deployment (report in progress, download and check, report the outcome) or a cancel.</summary>
public sealed partial class UpdateAgent
{
    private async Task ProcessAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in _desired.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await HandleAsync(item, cancellationToken);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // A report refused or unanswered: counted, and the next change is still acted on.
                    Interlocked.Increment(ref _errors);
                }
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: the workflow in progress stops where it is.
        }
    }

    private async Task HandleAsync(Desired item, CancellationToken cancellationToken)
    {
        // The GET's view may come after a newer patch's; an older view is not acted on.
        if (item.Version is { } version)
        {
            if (_desiredVersion is { } seen && version <= seen)
            {
                return;
            }

            _desiredVersion = version;
        }

        if (item.Component["service"] is not JsonObject service || service["workflow"] is not JsonObject workflow || Text(workflow["id"]) is not { } id)
        {
            return;
        }

        var action = Long(workflow["action"]);
        if (action == CancelAction)
        {
            if (_canceled.Add(id))
            {
                await ReportAsync(Agent(Idle, CancelAction, id, null, null, InstallResult(800, Ok, string.Empty, step: false)), cancellationToken);
                Interlocked.Increment(ref _completed);
            }

            return;
        }

        // ADU's retry rule: a workflow seen before runs again only with a retryTimestamp other than the last one run.
        var retry = Text(workflow["retryTimestamp"]);
        if (action != ProcessDeployment || (_processed.TryGetValue(id, out var last) && last == retry))
        {
            return;
        }

        _processed[id] = retry;
        await ReportAsync(Agent(DeploymentInProgress, ProcessDeployment, id, retry, null, InstallResult(400, Ok, string.Empty, step: false)), cancellationToken);
        var (updateId, code, details) = await InstallAsync(service, cancellationToken);
        if (updateId is null)
        {
            await ReportAsync(Agent(Failed, ProcessDeployment, id, retry, _installedUpdateId, InstallResult(0, code, details, step: true)), cancellationToken);
            Interlocked.Increment(ref _failed);
        }
        else
        {
            var installedVersion = Text(updateId["version"])!;
            var installed = UpdateIdJson(Text(updateId["provider"]) ?? string.Empty, Text(updateId["name"]) ?? string.Empty, installedVersion);
            await ReportAsync(Agent(Idle, ProcessDeployment, id, retry, installed, InstallResult(700, Ok, string.Empty, step: true)), cancellationToken);
            _installedUpdateId = installed;
            Installed(installedVersion);
        }

        Interlocked.Increment(ref _completed);
    }

    /// <summary>
    /// Reads the manifest, downloads and checks its files: the update id to install (a version is there), or null and the
    /// failure's extended result code and details.
    /// </summary>
    private async Task<(JsonObject? UpdateId, string Code, string Details)> InstallAsync(JsonObject service, CancellationToken cancellationToken)
    {
        var manifest = ParseObject(Text(service["updateManifest"]));
        if (manifest is null || manifest["updateId"] is not JsonObject updateId || Text(updateId["version"]) is not { } version)
        {
            return (null, "30000002", "updateManifest is not a manifest with an updateId");
        }

        var urls = service["fileUrls"] as JsonObject;
        foreach (var (fileId, node) in manifest["files"] as JsonObject ?? new JsonObject())
        {
            if (node is not JsonObject file || Text(urls?[fileId]) is not { } url)
            {
                return (null, "30000003", $"no URL for file {fileId}");
            }

            (long Bytes, string Sha256) got;
            try
            {
                got = await DownloadAsync(url, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, "30000003", $"download of {fileId} failed: {ex.Message}");
            }

            var size = Long(file["sizeInBytes"]);
            var sha256 = Text((file["hashes"] as JsonObject)?["sha256"]);
            if (got.Bytes != size || got.Sha256 != sha256)
            {
                return (null, "30000003", $"{fileId}: got {got.Bytes} bytes, sha256 {got.Sha256}; the manifest says {size} and {sha256}");
            }
        }

        if (_failVersions.Contains(version))
        {
            return (null, "30000010", $"version {version} fails on purpose");
        }

        return (updateId, Ok, string.Empty);
    }

    private async Task<(long Bytes, string Sha256)> DownloadAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferBytes), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                total += read;
                Interlocked.Add(ref _bytesDownloaded, read);
            }

            return (total, Convert.ToBase64String(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The agent's report of a workflow; <paramref name="installedUpdateId"/> only when it is said again or changed.</summary>
    private static JsonObject Agent(int state, int action, string id, string? retry, string? installedUpdateId, JsonObject result)
    {
        var workflow = new JsonObject { ["action"] = action, ["id"] = id };
        if (retry is not null)
        {
            workflow["retryTimestamp"] = retry;
        }

        var agent = new JsonObject { ["state"] = state, ["workflow"] = workflow };
        if (installedUpdateId is not null)
        {
            agent["installedUpdateId"] = installedUpdateId;
        }

        agent["lastInstallResult"] = result;
        return agent;
    }

    private static JsonObject InstallResult(int resultCode, string extendedResultCodes, string details, bool step) => new()
    {
        ["resultCode"] = resultCode,
        ["extendedResultCodes"] = extendedResultCodes,
        ["resultDetails"] = details,
        ["stepResults"] = step
            ? new JsonObject { ["step_0"] = new JsonObject { ["resultCode"] = resultCode, ["extendedResultCodes"] = extendedResultCodes, ["resultDetails"] = details } }
            : new JsonObject(),
    };
}
