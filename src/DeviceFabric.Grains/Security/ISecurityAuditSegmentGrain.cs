namespace DeviceFabric.Security;

/// <summary>A full segment of a hub's audit history. Key: <c>{hub}/{segment}</c>.</summary>
[Alias("devicefabric.ISecurityAuditSegmentGrain")]
internal interface ISecurityAuditSegmentGrain : IGrainWithStringKey
{
    Task StoreAsync(IReadOnlyList<SecurityAuditEvent> events);

    [Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<SecurityAuditEvent>> GetAsync();

    Task ClearAsync();
}
