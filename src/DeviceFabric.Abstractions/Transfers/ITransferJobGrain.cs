using Orleans.Concurrency;

namespace DeviceFabric.Transfers;

/// <summary>
/// One import, export or migration of a hub. Key: <c>{hub}/{jobId}</c>. Accepted once stored, it runs in the
/// background, at most one at a time per hub, and resumes where it stood after a restart.
/// </summary>
[Alias("devicefabric.ITransferJobGrain")]
public interface ITransferJobGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the job: 409 if the id is taken, 400 for a bad request or folder, 403 (JobQuotaExceeded) while another
    /// transfer of the hub runs. Returns once stored.
    /// </summary>
    Task<TransferSnapshot> CreateAsync(TransferRequest request, CancellationToken cancellationToken = default);

    /// <summary>The job, or null when there is none of this id.</summary>
    [AlwaysInterleave]
    Task<TransferSnapshot?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>The job once it has ended, or as it stands after <paramref name="within"/> (at most five minutes).</summary>
    [AlwaysInterleave]
    Task<TransferSnapshot> WaitForEndAsync(TimeSpan within, CancellationToken cancellationToken = default);

    /// <summary>Cancels the job if it has not ended; returns it.</summary>
    [AlwaysInterleave]
    Task<TransferSnapshot> CancelAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts the job's work again if it was running when its node stopped.</summary>
    Task ResumeAsync(CancellationToken cancellationToken = default);
}
