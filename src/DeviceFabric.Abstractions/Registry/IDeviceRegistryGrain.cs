namespace DeviceFabric.Registry;

/// <summary>
/// Hub-wide registry reads fanned out over the registry shards. Key: the hub name. A stateless worker, so every silo
/// serves it locally.
/// </summary>
[Alias("devicefabric.IDeviceRegistryGrain")]
public interface IDeviceRegistryGrain : IGrainWithStringKey
{
    /// <summary>The most devices one page returns, as IoT Hub's <c>GET /devices?top=</c>.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Lists devices in ordinal order of id, <paramref name="pageSize"/> at a time.</summary>
    Task<DevicePage> ListAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken = default);

    /// <summary>The most results one query page returns.</summary>
    public const int MaxQueryPageSize = 1000;

    /// <summary>
    /// Runs an IoT Hub query (<c>FROM devices</c> or <c>FROM devices.jobs</c>) a page at a time; a malformed query is
    /// <see cref="DeviceFabricErrorCode.ArgumentInvalid"/> naming the position and the cause.
    /// </summary>
    Task<QueryPage> QueryAsync(string query, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);

    /// <summary>Counts the hub's devices.</summary>
    Task<RegistryStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default);

    /// <summary>The client certificates the hub's devices last connected with that expire before <paramref name="before"/>.</summary>
    Task<IReadOnlyList<Security.ExpiringCertificate>> ListCertificatesExpiringAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
