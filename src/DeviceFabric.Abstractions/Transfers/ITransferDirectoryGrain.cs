namespace DeviceFabric.Transfers;

/// <summary>
/// A hub's transfer jobs: the one running (transfers take turns, as IoT Hub runs one import or export at a time) and
/// the latest ones, newest first. Key: the hub's name.
/// </summary>
[Alias("devicefabric.ITransferDirectoryGrain")]
public interface ITransferDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The most jobs the directory remembers; older ones are forgotten.</summary>
    public const int Remembered = 100;

    /// <summary>Makes <paramref name="jobId"/> the running transfer; false while another runs.</summary>
    Task<bool> TryStartAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>A transfer ended; the next may start.</summary>
    Task EndedAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>The latest jobs' ids, newest first.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Resumes the running transfer, if any, after a restart.</summary>
    Task ResumeAsync(CancellationToken cancellationToken = default);
}
