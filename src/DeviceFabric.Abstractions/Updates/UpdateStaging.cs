using System.Security.Cryptography;

namespace DeviceFabric.Updates;

/// <summary>
/// Writes a file of an import to the staging directory as it arrives (an upload's part, or a download), hashing it on
/// the way, so a file of gigabytes holds kilobytes in memory.
/// </summary>
public static class UpdateStaging
{
    /// <summary>Stages <paramref name="body"/> under a new name, taking at most <paramref name="maxBytes"/>, and returns what came.</summary>
    public static async Task<StagedFile> StageAsync(Stream body, string fileName, string directory, string hub, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        Directory.CreateDirectory(UpdateFiles.StagingDirectory(directory, hub));
        var stagingName = Guid.NewGuid().ToString("N");
        var path = UpdateFiles.StagedPath(directory, hub, stagingName);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                size += read;
                if (size > maxBytes)
                {
                    throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"The file {fileName} is larger than {maxBytes} bytes.");
                }

                hash.AppendData(chunk, 0, read);
                await file.WriteAsync(chunk.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        return new StagedFile(fileName, stagingName, size, Convert.ToBase64String(hash.GetHashAndReset()));
    }
}
