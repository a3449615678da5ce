using DeviceFabric.Api.Security;
using DeviceFabric.Hubs;
using DeviceFabric.Security;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Silo.Hosting;

/// <summary>
/// Looks, every <see cref="CertificateOptions.ExpiryCheckInterval"/>, for the server, CA and device certificates that
/// enter the warning window, and records each once per process as a <see cref="SecurityAuditKind.CertificateExpiring"/>
/// event (so the SDK's security stream and the audit history see it). In a cluster every silo warns of its own server
/// certificate, and the hub's CAs may be announced by more than one silo.
/// </summary>
internal sealed partial class CertificateExpiryWatch(
    CertificateExpiry expiry,
    IGrainFactory grains,
    IOptions<HubOptions> hubs,
    IOptions<CertificateOptions> options,
    TimeProvider time,
    ILogger<CertificateExpiryWatch> logger) : BackgroundService
{
    private static readonly TimeSpan s_firstCheck = TimeSpan.FromMinutes(1);
    private const int MaxAnnounced = 100_000;

    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first look waits a little, so a node's start-up is not spent waking every registry shard.
        var interval = options.Value.ExpiryCheckInterval;
        await Task.Delay(interval < s_firstCheck ? interval : s_firstCheck, time, stoppingToken);
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        SecurityActor.Set(SecurityActor.Fabric);
        if (_announced.Count > MaxAnnounced)
        {
            // Bounded: past it, what is still expiring is announced once more.
            _announced.Clear();
        }

        foreach (var hub in hubs.Value.All)
        {
            var fresh = (await expiry.ListAsync(hub.Name, window: null, cancellationToken))
                .Where(c => _announced.Add(string.Join('|', hub.Name, c.Kind, c.Name, c.Thumbprint)))
                .ToList();
            foreach (var certificate in fresh.Where(c => c.Kind != "device"))
            {
                await AnnounceAsync(hub.Name, certificate.Name, certificate, cancellationToken);
            }

            // Devices are many: one event a check for those newly in the window, naming the first to expire.
            if (fresh.Where(c => c.Kind == "device").ToList() is { Count: > 0 } devices)
            {
                var first = devices.MinBy(c => c.NotAfter)!;
                var subject = devices.Count == 1 ? first.Name : $"{devices.Count} devices";
                await AnnounceAsync(hub.Name, subject, first, cancellationToken);
            }
        }
    }

    private async Task AnnounceAsync(string hub, string subject, ExpiringCertificate certificate, CancellationToken cancellationToken)
    {
        var state = certificate.NotAfter < time.GetUtcNow() ? "expired" : "expires";
        LogExpiring(logger, certificate.Kind, subject, hub, state, certificate.NotAfter);
        await grains.GetGrain<ISecurityAuditGrain>(hub).RecordAsync(
            SecurityAuditKind.CertificateExpiring,
            subject,
            $"{certificate.Kind} certificate, thumbprint {certificate.Thumbprint}, {state} {certificate.NotAfter:u}",
            SecurityActor.Fabric,
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} certificate {Name} of hub {Hub} {State} {NotAfter:u}: replace it")]
    private static partial void LogExpiring(ILogger logger, string kind, string name, string hub, string state, DateTimeOffset notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for expiring certificates; trying again at the next interval")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
