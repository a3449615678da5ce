using System.Security.Cryptography.X509Certificates;
using DeviceFabric.Security;
using MQTTnet;
using MQTTnet.Formatter;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>MQTTnet clients that connect to a test node the way the Azure device SDKs do: TLS, IoT Hub username, SAS password.</summary>
internal static class MqttDevice
{
    public static string Username(string deviceId, string host = "localhost") => $"{host}/{deviceId}/?api-version=2021-04-12";

    public static string Token(string deviceId, string key, TimeSpan? validFor = null, string host = "localhost", string? policy = null) =>
        SharedAccessSignature.Create($"{host}/devices/{deviceId}", key, policy, DateTimeOffset.UtcNow + (validFor ?? TimeSpan.FromHours(1)));

    public static async Task<(IMqttClient Client, MqttClientConnectResult Result)> ConnectAsync(
        INodeEndpoints node,
        string deviceId,
        string? password,
        string? username = null,
        string? clientId = null,
        MqttProtocolVersion protocol = MqttProtocolVersion.V311,
        X509Certificate2? clientCertificate = null,
        IReadOnlyList<X509Certificate2>? intermediates = null,
        bool webSocket = false,
        TimeSpan? keepAlive = null,
        bool cleanSession = true,
        System.Net.IPAddress? source = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithClientId(clientId ?? deviceId)
            .WithCredentials(username ?? Username(deviceId), password)
            .WithProtocolVersion(protocol)
            .WithCleanSession(cleanSession)
            .WithKeepAlivePeriod(keepAlive ?? TimeSpan.FromSeconds(60))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithTlsOptions(o =>
            {
                o.UseTls().WithTargetHost("localhost").WithCertificateValidationHandler(a => TrustsDevelopmentCa(node, a.Certificate));
                if (clientCertificate is not null)
                {
                    // SslStream sends, with the leaf, the intermediates it finds in the collection.
                    o.WithClientCertificates([clientCertificate, .. intermediates ?? []]);
                }
            });
        builder = webSocket
            ? builder.WithWebSocketServer(o => o.WithUri($"wss://localhost:{node.BaseAddress.Port}/$iothub/websocket"))
            : builder.WithEndPoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, node.MqttTlsPort)).WithTcpServer(o =>
            {
                o.RemoteEndpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, node.MqttTlsPort);
                o.LocalEndpoint = source is null ? null : new System.Net.IPEndPoint(source, 0);
            });
        var result = await client.ConnectAsync(builder.Build(), TestContext.Current.CancellationToken);
        return (client, result);
    }

    /// <summary>Connects the device with a SAS token of <paramref name="key"/> and disconnects it cleanly: one session, begun and ended.</summary>
    public static async Task ConnectAndLeaveAsync(INodeEndpoints node, string deviceId, string key)
    {
        var (client, _) = await ConnectAsync(node, deviceId, Token(deviceId, key));
        using (client)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Resolves when the client's connection ends, for whatever reason.</summary>
    public static Task WhenDisconnected(IMqttClient client)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += _ =>
        {
            done.TrySetResult();
            return Task.CompletedTask;
        };
        if (!client.IsConnected)
        {
            done.TrySetResult();
        }

        return done.Task;
    }

    private static bool TrustsDevelopmentCa(INodeEndpoints node, X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var ca = X509CertificateLoader.LoadCertificateFromFile(node.CaPath);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
