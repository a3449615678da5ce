using System.Security.Cryptography.X509Certificates;
using DeviceFabric.Security;
using DeviceFabric.Silo.Certificates;
using Orleans.Connections.Security;

namespace DeviceFabric.Silo.Hosting;

/// <summary>Mutual TLS on every Orleans connection of a cluster member: to other silos, and from grain clients.</summary>
internal static class ClusterTlsExtensions
{
    public static ISiloBuilder UseDeviceFabricClusterTls(this ISiloBuilder silo, ClusterSecurityOptions security)
    {
        var certificate = DevelopmentCertificates.LoadWithKey(security.CertificatePath!, string.IsNullOrWhiteSpace(security.KeyPath) ? security.CertificatePath! : security.KeyPath);
        var authority = X509CertificateLoader.LoadCertificateFromFile(security.TrustedCaPath!);
        return silo.UseTls(certificate, options =>
        {
            options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            options.RemoteCertificateValidation = (presented, _, _) => ClusterTrust.IsIssuedBy(presented, authority);
            options.OnAuthenticateAsClient = (_, client) => client.TargetHost ??= "devicefabric-cluster";
        });
    }
}
