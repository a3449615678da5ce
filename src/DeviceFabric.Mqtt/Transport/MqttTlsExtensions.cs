using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DeviceFabric.Mqtt.Transport;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Microsoft.AspNetCore.Builder;

/// <summary>TLS for the MQTT listener: the server certificate chosen per handshake, client certificates requested and kept.</summary>
public static class MqttTlsExtensions
{
    /// <summary>
    /// Serves TLS with the certificate <paramref name="serverCertificate"/> returns at each handshake (so a reloaded
    /// certificate serves new connections while existing ones keep theirs), asks devices for a client certificate and
    /// keeps the chain they send for their CONNECT. No client certificate is judged here: the device's grain does.
    /// </summary>
    public static ListenOptions UseMqttTls(this ListenOptions listen, Func<SslStreamCertificateContext> serverCertificate, TimeSpan handshakeTimeout)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(serverCertificate);
        return listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = handshakeTimeout,
            OnConnection = context => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = serverCertificate(),
                ClientCertificateRequired = true,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    if (PresentedCertificates.From(certificate, chain) is { } presented)
                    {
                        context.Connection.Features.Set(presented);
                    }

                    return true;
                },
            }),
        });
    }
}
