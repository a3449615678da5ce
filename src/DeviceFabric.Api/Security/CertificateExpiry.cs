using DeviceFabric.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Api.Security;

/// <summary>
/// The certificates of a hub that expire within a window: its CAs and its devices' (from the hub's grain) and this
/// node's own server certificate.
/// </summary>
public sealed class CertificateExpiry(IGrainFactory grains, IServiceProvider services, IOptions<CertificateOptions> options, TimeProvider time)
{
    /// <summary>The certificates of <paramref name="hub"/> that expire within <paramref name="window"/> (default: the warning window), soonest first.</summary>
    public async Task<IReadOnlyList<ExpiringCertificate>> ListAsync(string hub, TimeSpan? window, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() + (window ?? options.Value.ExpiryWarningWindow);
        var list = new List<ExpiringCertificate>();
        if (services.GetService<IServerCertificate>()?.Current is { } server && server.NotAfter < before)
        {
            list.Add(new ExpiringCertificate("server", server.Subject, server.Sha1Thumbprint, server.NotAfter));
        }

        list.AddRange(await grains.GetGrain<IHubCertificatesGrain>(hub).ListExpiringAsync(before, cancellationToken));
        return list.OrderBy(c => c.NotAfter).ToList();
    }
}
