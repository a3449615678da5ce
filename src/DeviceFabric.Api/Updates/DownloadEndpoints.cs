using DeviceFabric.Hubs;
using DeviceFabric.Updates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Api.Updates;

/// <summary>
/// Where devices download update files: the URLs a deployment writes into their twins (<see cref="UpdateDownloadUrls"/>),
/// which carry their own signature in place of a credential. Ranges are served, so an interrupted download resumes.
/// </summary>
internal static class DownloadEndpoints
{
    public static void MapUpdateDownloads(this RouteGroupBuilder api)
    {
        api.MapGet("/deviceUpdate/{instanceId}/downloads/{contentName}", Download).WithTags("Device Update").WithName("DownloadUpdateContent")
            .WithSummary("Serves an update file to a device, at the signed URL its twin names (Range supported)")
            .Produces(StatusCodes.Status200OK, typeof(byte[]), "application/octet-stream");
    }

    private static IResult Download(
        string instanceId, string contentName, string? se, string? sig, HttpContext context, IOptions<HubOptions> hubs,
        IOptions<UpdateOptions> options, UpdateDownloadUrls urls, UpdateInstruments instruments, TimeProvider time)
    {
        var hub = hubs.Value.All.FirstOrDefault(h => h.Name.Equals(instanceId, StringComparison.OrdinalIgnoreCase))?.Name;
        var named = contentName.Length == 64 && contentName.All(char.IsAsciiHexDigitLower);
        if (hub is null || !named || !urls.Verifies(hub, contentName, se, sig, time.GetUtcNow()))
        {
            instruments.Download(served: false, 0);
            throw new DeviceFabricException(DeviceFabricErrorCode.IotHubUnauthorizedAccess, "The download URL is not valid, or has expired.");
        }

        var path = Path.Combine(UpdateFiles.HubDirectory(options.Value.Directory, hub), contentName);
        if (!File.Exists(path))
        {
            instruments.Download(served: false, 0);
            throw new DeviceFabricException(DeviceFabricErrorCode.UpdateNotFound, "The file is no longer kept: its update was deleted.");
        }

        context.Response.OnCompleted(() =>
        {
            instruments.Download(served: context.Response.StatusCode is 200 or 206, context.Response.ContentLength ?? 0);
            return Task.CompletedTask;
        });
        return TypedResults.PhysicalFile(path, "application/octet-stream", enableRangeProcessing: true);
    }
}
