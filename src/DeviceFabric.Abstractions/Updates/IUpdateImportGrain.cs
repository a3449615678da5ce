namespace DeviceFabric.Updates;

/// <summary>
/// One import by URL, as Device Update's <c>updates:import</c> runs it: the fabric downloads the import manifest and
/// its files, checks their sizes and SHA-256, and imports the update; callers poll its status. Key:
/// <c>{hub}/{operationId}</c>. The status is stored, so a poll after a restart finds it (and resumes a download cut off).
/// </summary>
[Alias("devicefabric.IUpdateImportGrain")]
public interface IUpdateImportGrain : IGrainWithStringKey
{
    /// <summary>Starts the import; returns once it is stored, before anything is downloaded.</summary>
    Task<ImportOperation> StartAsync(ImportRequest request, CancellationToken cancellationToken = default);

    /// <summary>The import's status; fails with <see cref="DeviceFabricErrorCode.UpdateNotFound"/> for an unknown operation.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<ImportOperation> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>What an import by URL downloads.</summary>
/// <param name="ManifestUrl">The import manifest's URL (http or https).</param>
/// <param name="ManifestSizeInBytes">Its size, as the caller states it.</param>
/// <param name="ManifestSha256">Its SHA-256, base64, as the caller states it.</param>
/// <param name="Files">Each file the manifest names, and its URL.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ImportRequest")]
public sealed record ImportRequest(
    [property: Id(0)] string ManifestUrl,
    [property: Id(1)] long ManifestSizeInBytes,
    [property: Id(2)] string ManifestSha256,
    [property: Id(3)] IReadOnlyList<ImportFileUrl> Files);

/// <summary>A file to download for an import.</summary>
/// <param name="FileName">Its name in the manifest.</param>
/// <param name="Url">Where it is.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ImportFileUrl")]
public sealed record ImportFileUrl([property: Id(0)] string FileName, [property: Id(1)] string Url);

/// <summary>An import's status, as Device Update reports an operation.</summary>
/// <param name="OperationId">The operation.</param>
/// <param name="Status"><c>NotStarted</c>, <c>Running</c>, <c>Succeeded</c> or <c>Failed</c>.</param>
/// <param name="UpdateId">The update, once the manifest was read.</param>
/// <param name="ErrorCode">Why it failed, in the fabric's vocabulary.</param>
/// <param name="ErrorMessage">Why it failed, in words.</param>
/// <param name="CreatedTime">When it was started.</param>
/// <param name="LastActionTime">When its status last changed.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ImportOperation")]
public sealed record ImportOperation(
    [property: Id(0)] string OperationId,
    [property: Id(1)] string Status,
    [property: Id(2)] UpdateId? UpdateId,
    [property: Id(3)] string? ErrorCode,
    [property: Id(4)] string? ErrorMessage,
    [property: Id(5)] DateTimeOffset CreatedTime,
    [property: Id(6)] DateTimeOffset LastActionTime);
