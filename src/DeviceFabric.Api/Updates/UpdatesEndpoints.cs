using DeviceFabric.Api.Security;
using DeviceFabric.Contracts.Security;
using DeviceFabric.Contracts.Updates;
using DeviceFabric.Security;
using DeviceFabric.Updates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Api.Updates;

/// <summary>
/// Device Update's update catalog on the fabric's HTTPS port, the instance id being the hub's name:
/// <c>/deviceUpdate/{instanceId}/updates</c> (list), <c>.../providers[/{p}/names[/{n}/versions[/{v}]]]</c>, files and
/// their content (with <c>Range</c>), delete, and <c>updates:upload</c> (the manifest and its files in one request).
/// </summary>
internal static class UpdatesEndpoints
{
    private const string Base = "/deviceUpdate/{instanceId}/updates";
    private const string Version = Base + "/providers/{provider}/names/{name}/versions/{version}";

    public static void MapUpdates(this RouteGroupBuilder api)
    {
        var updates = api.MapGroup(string.Empty).WithTags("Device Update");
        updates.MapPost(Base + ":upload", UploadAsync).WithName("UploadUpdate")
            .WithSummary("Imports an update from its import manifest and its files, sent as multipart/form-data").RequireRights(AccessRights.RegistryWrite);
        updates.MapGet(Base, ListAsync).WithName("ListUpdates").WithSummary("Lists the hub's imported updates").RequireRights(AccessRights.RegistryRead);
        updates.MapGet(Base + "/providers", ProvidersAsync).WithName("ListUpdateProviders").WithSummary("Lists the providers of imported updates")
            .RequireRights(AccessRights.RegistryRead);
        updates.MapGet(Base + "/providers/{provider}/names", NamesAsync).WithName("ListUpdateNames").WithSummary("Lists a provider's update names")
            .RequireRights(AccessRights.RegistryRead);
        updates.MapGet(Base + "/providers/{provider}/names/{name}/versions", VersionsAsync).WithName("ListUpdateVersions")
            .WithSummary("Lists an update's imported versions").RequireRights(AccessRights.RegistryRead);
        updates.MapGet(Version, GetAsync).WithName("GetUpdate").WithSummary("Reads an update").RequireRights(AccessRights.RegistryRead);
        updates.MapDelete(Version, DeleteAsync).WithName("DeleteUpdate").WithSummary("Deletes an update and the files no other update has")
            .RequireRights(AccessRights.RegistryWrite);
        updates.MapGet(Version + "/manifest", ManifestAsync).WithName("GetUpdateManifest")
            .WithSummary("Reads the update manifest devices get for the update, and its signature").RequireRights(AccessRights.RegistryRead);
        updates.MapGet("/deviceUpdate/{instanceId}/signingKey", SigningKeyAsync).WithName("GetUpdateSigningKey")
            .WithSummary("Reads the public key update manifests are signed with (a JSON Web Key)").RequireRights(AccessRights.RegistryRead);
        updates.MapGet(Version + "/files", FilesAsync).WithName("ListUpdateFiles").WithSummary("Lists an update's file ids").RequireRights(AccessRights.RegistryRead);
        updates.MapGet(Version + "/files/{fileId}", FileAsync).WithName("GetUpdateFile").WithSummary("Reads a file's name, size and hash")
            .RequireRights(AccessRights.RegistryRead);
        updates.MapGet(Version + "/files/{fileId}/content", ContentAsync).WithName("DownloadUpdateFile")
            .WithSummary("Downloads a file; Range resumes a download").Produces(StatusCodes.Status200OK, typeof(byte[]), "application/octet-stream")
            .RequireRights(AccessRights.RegistryRead);
    }

    private static async Task<Created<UpdateJson>> UploadAsync(string instanceId, HttpContext context, IGrainFactory grains, IOptions<UpdateOptions> options)
    {
        var hub = Hub(context, instanceId);
        var (manifest, files) = await UpdateUpload.ReadAsync(context, options.Value.Directory, hub);
        UpdateRecord update;
        try
        {
            update = await Catalog(grains, hub).ImportAsync(manifest, files, context.RequestAborted);
        }
        catch
        {
            // The catalog deletes what it was given; this covers a call that never reached it.
            UpdateUpload.Discard(options.Value.Directory, hub, files);
            throw;
        }

        var id = update.UpdateId;
        return TypedResults.Created($"/deviceUpdate/{instanceId}/updates/providers/{id.Provider}/names/{id.Name}/versions/{id.Version}", UpdateMapper.ToJson(update));
    }

    private static async Task<Ok<ValueListJson<UpdateJson>>> ListAsync(string instanceId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(new ValueListJson<UpdateJson> { Value = [.. (await UpdatesAsync(context, grains, instanceId)).Select(UpdateMapper.ToJson)] });

    private static async Task<Ok<ValueListJson<string>>> ProvidersAsync(string instanceId, HttpContext context, IGrainFactory grains) =>
        Names((await UpdatesAsync(context, grains, instanceId)).Select(u => u.UpdateId.Provider));

    private static async Task<Ok<ValueListJson<string>>> NamesAsync(string instanceId, string provider, HttpContext context, IGrainFactory grains) =>
        Names((await UpdatesAsync(context, grains, instanceId)).Where(u => u.UpdateId.Provider == provider).Select(u => u.UpdateId.Name));

    private static async Task<Ok<ValueListJson<string>>> VersionsAsync(string instanceId, string provider, string name, HttpContext context, IGrainFactory grains) =>
        Names((await UpdatesAsync(context, grains, instanceId)).Where(u => u.UpdateId.Provider == provider && u.UpdateId.Name == name).Select(u => u.UpdateId.Version));

    private static async Task<Ok<UpdateJson>> GetAsync(string instanceId, string provider, string name, string version, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(UpdateMapper.ToJson(await UpdateAsync(context, grains, instanceId, provider, name, version)));

    private static async Task<Ok<UpdateDeliveryJson>> ManifestAsync(string instanceId, string provider, string name, string version, HttpContext context, IGrainFactory grains)
    {
        var delivery = await Catalog(grains, Hub(context, instanceId)).GetDeliveryAsync(new UpdateId(provider, name, version), context.RequestAborted);
        return TypedResults.Ok(new UpdateDeliveryJson { UpdateManifest = delivery.UpdateManifest, UpdateManifestSignature = delivery.UpdateManifestSignature });
    }

    private static async Task<Ok<SigningKeyJson>> SigningKeyAsync(string instanceId, HttpContext context, IGrainFactory grains)
    {
        var jwk = await Catalog(grains, Hub(context, instanceId)).GetSigningKeyAsync(context.RequestAborted);
        return TypedResults.Ok(System.Text.Json.JsonSerializer.Deserialize(jwk, Contracts.ContractsJsonContext.Default.SigningKeyJson)!);
    }

    private static async Task<NoContent> DeleteAsync(string instanceId, string provider, string name, string version, HttpContext context, IGrainFactory grains)
    {
        await Catalog(grains, Hub(context, instanceId)).DeleteAsync(new UpdateId(provider, name, version), context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ValueListJson<string>>> FilesAsync(string instanceId, string provider, string name, string version, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(new ValueListJson<string> { Value = [.. (await UpdateAsync(context, grains, instanceId, provider, name, version)).Files.Select(f => f.FileId)] });

    private static async Task<Ok<UpdateFileJson>> FileAsync(
        string instanceId, string provider, string name, string version, string fileId, HttpContext context, IGrainFactory grains)
    {
        var update = await UpdateAsync(context, grains, instanceId, provider, name, version);
        return TypedResults.Ok(UpdateMapper.ToJson(FileOf(update, fileId), update.ETag));
    }

    private static async Task<IResult> ContentAsync(
        string instanceId, string provider, string name, string version, string fileId, HttpContext context, IGrainFactory grains, IOptions<UpdateOptions> options)
    {
        var update = await UpdateAsync(context, grains, instanceId, provider, name, version);
        var file = FileOf(update, fileId);
        return TypedResults.PhysicalFile(
            UpdateFiles.PathOf(options.Value.Directory, Hub(context, instanceId), file), "application/octet-stream", file.FileName, enableRangeProcessing: true);
    }

    private static UpdateFile FileOf(UpdateRecord update, string fileId) =>
        update.Files.FirstOrDefault(f => f.FileId == fileId)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.UpdateNotFound, $"Update {update.UpdateId.Provider}/{update.UpdateId.Name}/{update.UpdateId.Version} has no file {fileId}.");

    private static Task<UpdateRecord> UpdateAsync(HttpContext context, IGrainFactory grains, string instanceId, string provider, string name, string version) =>
        Catalog(grains, Hub(context, instanceId)).GetAsync(new UpdateId(provider, name, version), context.RequestAborted);

    private static Task<IReadOnlyList<UpdateRecord>> UpdatesAsync(HttpContext context, IGrainFactory grains, string instanceId) =>
        Catalog(grains, Hub(context, instanceId)).ListAsync(context.RequestAborted);

    private static Ok<ValueListJson<string>> Names(IEnumerable<string> names) =>
        TypedResults.Ok(new ValueListJson<string> { Value = [.. names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] });

    /// <summary>The hub the request acts on; Device Update's instance id is its name, any other is not found.</summary>
    internal static string Hub(HttpContext context, string instanceId)
    {
        var hub = RequireRightsFilter.HubOf(context);
        return string.Equals(instanceId, hub, StringComparison.OrdinalIgnoreCase)
            ? hub
            : throw new DeviceFabricException(DeviceFabricErrorCode.UpdateNotFound, $"No Device Update instance {instanceId}: the instance is the hub, {hub}.");
    }

    private static IUpdateCatalogGrain Catalog(IGrainFactory grains, string hub) => grains.GetGrain<IUpdateCatalogGrain>(hub);
}
