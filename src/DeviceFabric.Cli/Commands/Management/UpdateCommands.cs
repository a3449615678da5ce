using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.RestClient;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// <c>update</c>: Device Update's update catalog (<c>/deviceUpdate/{instance}/updates</c>). <c>import</c> uploads an
/// import manifest and its files from disk (<c>updates:upload</c>), or has the node fetch them by URL
/// (<c>updates:import</c>, then waits for the operation); plus list, show, delete, files and import operations.
/// Deployments, groups and device classes are subgroups.
/// </summary>
internal static class UpdateCommands
{
    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("Provider", "updateId.provider"), CliColumn.At("Name", "updateId.name"), CliColumn.At("Version", "updateId.version"),
        CliColumn.At("Deployable", "isDeployable"), CliColumn.At("Manifest", "manifestVersion"), CliColumn.At("Imported", "importedDateTime"),
    ];

    private static readonly CliColumn[] s_operationColumns =
    [
        CliColumn.At("OperationId", "operationId"), CliColumn.At("Status", "status"), CliColumn.At("Provider", "update.updateId.provider"),
        CliColumn.At("Name", "update.updateId.name"), CliColumn.At("Version", "update.updateId.version"), CliColumn.At("Error", "error.code"),
    ];

    public static Command Group() => CliCommand.Group("update", "Device Update: the update catalog, deployments to groups, groups and device classes (instance = the hub's name).",
        Import(), List(), Show(), Delete(),
        CliCommand.Group("file", "An update's files.", FileList(), FileShow()),
        CliCommand.Group("operation", "Imports by URL, which the node runs in the background.", OperationShow()),
        UpdateDeploymentCommands.Group(), UpdateGroupCommands.Group(), UpdateGroupCommands.DeviceClassGroup());

    private static Command Import()
    {
        var args = new UpdateArgs();
        var manifest = ManagementArgs.Optional("--manifest", "A local import manifest (schema 4.0 or 5.0) to upload with its files.", "-m");
        var files = ManagementArgs.Many("--file", "A file of the update to upload (repeatable); default: the manifest's files, next to it.", "-f");
        var url = ManagementArgs.Optional("--url", "Instead of uploading: the URL of the import manifest, which the node fetches.");
        var size = ManagementArgs.Optional<long>("--size", "With --url: the import manifest's size in bytes.");
        var sha256 = ManagementArgs.Optional("--sha256", "With --url: the import manifest's SHA-256 hash, base64.");
        var fileUrls = ManagementArgs.Many("--file-url", "With --url: a file's name and URL, name=url (repeatable).");
        var friendlyName = ManagementArgs.Optional("--friendly-name", "With --url: a name for the import.");
        var noWait = new Option<bool>("--no-wait") { Description = "With --url: print the operation at once instead of waiting for it to finish." };
        return CliCommand.Create("import", "Imports an update: uploads a local manifest and its files, or has the node fetch them by URL.", async (session, ct) =>
        {
            if (session.Get(manifest) is { } path)
            {
                var uploaded = await UploadAsync(session, args.Base(session), path, session.Get(files) ?? [], ct).ConfigureAwait(false);
                return ManagementArgs.Print(session, uploaded, s_columns);
            }

            var item = new JsonObject
            {
                ["importManifest"] = new JsonObject
                {
                    ["url"] = session.Get(url) ?? throw new CliUsageException("Pass --manifest (a local import manifest) or --url (one the node fetches)."),
                    ["sizeInBytes"] = session.Get(size) ?? throw new CliUsageException("--url needs --size, the manifest's size in bytes."),
                    ["hashes"] = new JsonObject { ["sha256"] = session.Get(sha256) ?? throw new CliUsageException("--url needs --sha256, the manifest's SHA-256 in base64.") },
                },
                ["files"] = new JsonArray([.. (session.Get(fileUrls) ?? []).Select(FileUrl)]),
            };
            if (session.Get(friendlyName) is { } friendly)
            {
                item["friendlyName"] = friendly;
            }

            var operation = await session.Hub.PostAsync(args.Base(session) + "/updates:import", new JsonArray(item), ct).ConfigureAwait(false);
            if (!session.Get(noWait))
            {
                operation = await WaitAsync(session, args.Base(session), operation?["operationId"]?.ToString(), ct).ConfigureAwait(false);
            }

            ManagementArgs.Print(session, operation, s_operationColumns);
            if (operation?["status"]?.ToString() == "Failed")
            {
                session.Console.Refused(operation["error"]?["code"]?.ToString() ?? "ImportFailed", operation["error"]?["message"]?.ToString() ?? "the import failed");
                return CliCommand.Refused;
            }

            return 0;
        }, [.. args.All(), manifest, files, url, size, sha256, fileUrls, friendlyName, noWait]);
    }

    private static async Task<JsonNode?> UploadAsync(CliSession session, string basePath, string manifestPath, string[] files, CancellationToken ct)
    {
        if (!File.Exists(manifestPath))
        {
            throw new CliUsageException($"The import manifest {manifestPath} does not exist.");
        }

        var manifest = await File.ReadAllTextAsync(manifestPath, ct).ConfigureAwait(false);
        if (files.Length == 0)
        {
            // The manifest names its files; az keeps them beside it, and so do we.
            var directory = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
            var named = CliJson.Parse(manifest, "--manifest")["files"] as JsonArray ?? [];
            files = [.. named.Select(f => Path.Combine(directory, f?["filename"]?.ToString() ?? string.Empty))];
        }

        using var form = new MultipartFormDataContent { { new StringContent(manifest, Encoding.UTF8, "application/json"), "importManifest" } };
        var streams = new List<Stream>();
        try
        {
            foreach (var file in files)
            {
                var stream = File.Exists(file) ? File.OpenRead(file) : throw new CliUsageException($"The update file {file} does not exist.");
                streams.Add(stream);
                var part = new StreamContent(stream);
                part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                form.Add(part, "file", Path.GetFileName(file));
            }

            await session.Console.Error.WriteLineAsync($"uploading {Path.GetFileName(manifestPath)} and {files.Length} file(s)...").ConfigureAwait(false);
            return (await session.Hub.SendContentAsync(HttpMethod.Post, basePath + "/updates:upload", form, null, ct).ConfigureAwait(false)).Body;
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<JsonNode?> WaitAsync(CliSession session, string basePath, string? operationId, CancellationToken ct)
    {
        var path = $"{basePath}/updates/operations/{ManagementArgs.Segment(operationId ?? throw new FabricRestException(500, "NoOperation", "The node answered without an operationId."))}";
        while (true)
        {
            var operation = await session.Hub.GetAsync(path, ct).ConfigureAwait(false);
            if (operation?["status"]?.ToString() is not ("NotStarted" or "Running"))
            {
                return operation;
            }

            await session.Console.Error.WriteLineAsync($"import {operationId}: {operation["status"]}...").ConfigureAwait(false);
            // The node asks for Retry-After: 1 while it downloads.
            await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        }
    }

    private static JsonNode FileUrl(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            ? new JsonObject { ["filename"] = text[..equals], ["url"] = text[(equals + 1)..] }
            : throw new CliUsageException($"--file-url '{text}' is not name=url.");
    }

    private static Command List()
    {
        var args = new UpdateArgs();
        var provider = ManagementArgs.Optional("--update-provider", "Only this provider's updates.");
        var name = ManagementArgs.Optional("--update-name", "Only updates of this name.");
        return CliCommand.Create("list", "Lists the imported updates.", async (session, ct) =>
        {
            var all = ManagementArgs.Value(await session.Hub.GetAsync(args.Base(session) + "/updates", ct).ConfigureAwait(false));
            var shown = all.Where(u => (session.Get(provider) is not { } p || CliJson.At(u, "updateId.provider") == p) && (session.Get(name) is not { } n || CliJson.At(u, "updateId.name") == n));
            return ManagementArgs.Print(session, new JsonArray([.. shown.Select(u => u?.DeepClone())]), s_columns);
        }, [.. args.All(), provider, name]);
    }

    private static Command Show()
    {
        var args = new UpdateArgs();
        var update = new UpdateArgs.UpdateIdOptions();
        return CliCommand.Create("show", "Shows an update: compatibility, instructions, manifest version.", async (session, ct) =>
            ManagementArgs.Print(session, await session.Hub.GetAsync(args.Base(session) + update.Path(session), ct).ConfigureAwait(false), s_columns),
            [.. args.All(), .. update.All]);
    }

    private static Command Delete()
    {
        var args = new UpdateArgs();
        var update = new UpdateArgs.UpdateIdOptions();
        return CliCommand.Create("delete", "Deletes an update and the files no other update has.", async (session, ct) =>
        {
            await session.Hub.DeleteAsync(args.Base(session) + update.Path(session), cancellationToken: ct).ConfigureAwait(false);
            return 0;
        }, [.. args.All(), .. update.All]);
    }

    private static Command FileList()
    {
        var args = new UpdateArgs();
        var update = new UpdateArgs.UpdateIdOptions();
        return CliCommand.Create("list", "Lists an update's file ids.", async (session, ct) =>
        {
            var ids = ManagementArgs.Value(await session.Hub.GetAsync(args.Base(session) + update.Path(session) + "/files", ct).ConfigureAwait(false));
            return ManagementArgs.Print(session, ids, new CliColumn("FileId", row => row?.ToString()));
        }, [.. args.All(), .. update.All]);
    }

    private static Command FileShow()
    {
        var args = new UpdateArgs();
        var update = new UpdateArgs.UpdateIdOptions();
        var file = ManagementArgs.Required("--file-id", "The file's id.");
        return CliCommand.Create("show", "Shows a file's name, size and hash.", async (session, ct) =>
            ManagementArgs.Print(session, await session.Hub.GetAsync($"{args.Base(session)}{update.Path(session)}/files/{ManagementArgs.Segment(session.Get(file)!)}", ct).ConfigureAwait(false),
                CliColumn.At("FileId", "fileId"), CliColumn.At("FileName", "fileName"), CliColumn.At("Size", "sizeInBytes"), CliColumn.At("Sha256", "hashes.sha256")),
            [.. args.All(), .. update.All, file]);
    }

    private static Command OperationShow()
    {
        var args = new UpdateArgs();
        var id = ManagementArgs.Required("--operation-id", "The import operation's id.", "--oid");
        return CliCommand.Create("show", "Shows an import operation: NotStarted, Running, Succeeded or Failed with its error.", async (session, ct) =>
            ManagementArgs.Print(session, await session.Hub.GetAsync($"{args.Base(session)}/updates/operations/{ManagementArgs.Segment(session.Get(id)!)}", ct).ConfigureAwait(false), s_operationColumns),
            [.. args.All(), id]);
    }
}
