namespace DeviceFabric.Updates;

/// <summary>
/// Downloads an import's manifest and files over HTTP(S) into the staging directory: one long-lived client (pooled
/// connections), http and https only, and never more bytes than the manifest allows.
/// </summary>
internal sealed class UpdateDownloader(HttpClient http)
{
    public async Task<StagedFile> StageAsync(string url, string fileName, string directory, string hub, long maxBytes, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"The URL of {fileName} is not an http or https URL.");
        }

        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"Downloading {fileName} failed: {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await UpdateStaging.StageAsync(body, fileName, directory, hub, maxBytes, cancellationToken);
    }
}
