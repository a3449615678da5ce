namespace DeviceFabric.Provisioning;

/// <summary>
/// One enrollment, individual or group. Key: <see cref="EnrollmentKey"/>. Writes return once stored; <c>If-Match</c>
/// takes the enrollment's etag, <c>*</c> or null for any.
/// </summary>
[Alias("devicefabric.IEnrollmentGrain")]
public interface IEnrollmentGrain : IGrainWithStringKey
{
    /// <summary>
    /// The enrollment, or null when there is none. Interleaves: a key rollover waiting on the registrations it rekeys
    /// must not block a registration that reads the enrollment meanwhile.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<Enrollment?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the enrollment; missing keys are generated. Fails with a 412 when the etag is stale.</summary>
    Task<Enrollment> CreateOrUpdateAsync(Enrollment enrollment, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Regenerates the primary or secondary key of a symmetric-key enrollment, or swaps them, and brings the devices it
    /// registered up to date (an individual enrollment's device has its keys; a group's devices have keys derived from
    /// them), so a replaced key stops working for registration and for connecting at once.
    /// </summary>
    Task<Enrollment> RegenerateKeyAsync(Security.KeyRollover rollover, CancellationToken cancellationToken = default);

    /// <summary>Deletes the enrollment; fails with a 404 when there is none, a 412 when the etag is stale.</summary>
    Task DeleteAsync(string? ifMatch, CancellationToken cancellationToken = default);

}
