using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>HTTPS clients for a node that trust only its development CA.</summary>
internal static class HttpsClients
{
    public static HttpClient Create(INodeEndpoints node, string? authorization = "owner")
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(node.CaPath);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                },
            },
        };
        var client = new HttpClient(handler) { BaseAddress = node.BaseAddress };
        var token = authorization == "owner" ? ServiceToken.FromConnectionString(node.OwnerConnectionString) : authorization;
        if (token is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }
}
