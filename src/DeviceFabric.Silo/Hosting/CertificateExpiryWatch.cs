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
        foreach (var hub in hubs.Value.All)
        {
            foreach (var certificate in await expiry.ListAsync(hub.Name, window: null, cancellationToken))
            {
                if (!_announced.Add(string.Join('|', hub.Name, certificate.Kind, certificate.Name, certificate.Thumbprint)))
                {
                    continue;
                }

                var state = certificate.NotAfter < time.GetUtcNow() ? "expired" : "expires";
                LogExpiring(logger, certificate.Kind, certificate.Name, hub.Name, state, certificate.NotAfter);
                await grains.GetGrain<ISecurityAuditGrain>(hub.Name).RecordAsync(
                    SecurityAuditKind.CertificateExpiring,
                    certificate.Name,
                    $"{certificate.Kind} certificate, thumbprint {certificate.Thumbprint}, {state} {certificate.NotAfter:u}",
                    SecurityActor.Fabric,
                    cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} certificate {Name} of hub {Hub} {State} {NotAfter:u}: replace it")]
    private static partial void LogExpiring(ILogger logger, string kind, string name, string hub, string state, DateTimeOffset notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for expiring certificates; trying again at the next interval")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
