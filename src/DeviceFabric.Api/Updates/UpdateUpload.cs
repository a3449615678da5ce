using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using DeviceFabric.Updates;

namespace DeviceFabric.Api.Updates;

/// <summary>
/// Reads an update uploaded as <c>multipart/form-data</c>: a part named <c>importManifest</c> and a part per file (its
/// file name from the part's <c>filename</c>). Files are streamed to the staging directory and hashed as they come, so
/// an upload of gigabytes holds kilobytes in memory; the catalog then checks them against the manifest.
/// </summary>
internal static class UpdateUpload
{
    public const long MaxUploadBytes = 2L * 1024 * 1024 * 1024 + (1024 * 1024);
    private const int MaxManifestBytes = 64 * 1024;
    private const int MaxParts = 32;

    public static async Task<(string Manifest, List<StagedFile> Files)> ReadAsync(HttpContext context, string directory, string hub)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            throw Invalid("Upload an update as multipart/form-data: a part named importManifest and one part per file.");
        }

        // This endpoint alone takes bodies beyond the node's limit: a file may be up to 2 GB.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxUploadBytes;
        }

        string? manifest = null;
        var files = new List<StagedFile>();
        try
        {
            var reader = new MultipartReader(boundary, context.Request.Body);
            for (var parts = 0; await reader.ReadNextSectionAsync(context.RequestAborted) is { } section; parts++)
            {
                if (parts >= MaxParts)
                {
                    throw Invalid($"An upload has at most {MaxParts} parts.");
                }

                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    throw Invalid("Every part needs a Content-Disposition with its name.");
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == "importManifest")
                {
                    manifest = await ReadManifestAsync(section.Body, context.RequestAborted);
                    continue;
                }

                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                if (string.IsNullOrEmpty(fileName))
                {
                    throw Invalid($"The part {name} is neither importManifest nor a file: a file part needs a filename.");
                }

                files.Add(await UpdateStaging.StageAsync(section.Body, fileName, directory, hub, MaxUploadBytes, context.RequestAborted));
            }

            return (manifest ?? throw Invalid("The upload has no part named importManifest."), files);
        }
        catch
        {
            Discard(directory, hub, files);
            throw;
        }
    }

    /// <summary>Deletes staged files an import will not take.</summary>
    public static void Discard(string directory, string hub, IEnumerable<StagedFile> files)
    {
        foreach (var file in files)
        {
            File.Delete(UpdateFiles.StagedPath(directory, hub, file.StagingName));
        }
    }

    private static async Task<string> ReadManifestAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxManifestBytes)
            {
                throw Invalid($"importManifest is larger than {MaxManifestBytes} bytes.");
            }

            await buffer.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
