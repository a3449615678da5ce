using System.Net;
using System.Security.Cryptography;
using System.Text;
using DeviceFabric.Tests.Api;

namespace DeviceFabric.Tests.Updates;

/// <summary>Imports a one-file update through the multipart upload, for deployment tests.</summary>
internal static class UpdateUploads
{
    public static async Task ImportAsync(HttpClient http, string provider, string version, byte[] file, string model = "Toaster")
    {
        var manifest = $$$"""
            {"updateId":{"provider":"{{{provider}}}","name":"Toaster","version":"{{{version}}}"},"compatibility":[{"manufacturer":"Contoso","model":"{{{model}}}"}],
             "instructions":{"steps":[{"handler":"microsoft/swupdate:1","files":["firmware.swu"],"handlerProperties":{"installedCriteria":"{{{version}}}"}}]},
             "files":[{"filename":"firmware.swu","sizeInBytes":{{{file.Length}}},"hashes":{"sha256":"{{{Convert.ToBase64String(SHA256.HashData(file))}}}"}}],
             "manifestVersion":"4.0","createdDateTime":"2026-01-01T00:00:00Z"}
            """;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(manifest, Encoding.UTF8, "application/json"), "importManifest" },
            { new ByteArrayContent(file), "file", "firmware.swu" },
        };
        await ApiAssert.JsonAsync(await http.PostAsync("/deviceUpdate/devicefabric/updates:upload", form, TestContext.Current.CancellationToken), HttpStatusCode.Created);
    }
}
