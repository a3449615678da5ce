using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DeviceFabric.Security;
using MQTTnet;
using MQTTnet.Formatter;

namespace DeviceFabric.LoadTest;

/// <summary>
/// How the harness reaches a node: REST with the owner's token (to register devices and act as the service) and MQTT
/// clients, one per simulated device, spread over 127.0.0.x source addresses so the ephemeral ports of one address do
/// not cap the count. All traffic goes to loopback.
/// </summary>
public sealed class FabricConnection : IDisposable
{
    private readonly LoadOptions _options;
    private readonly X509Certificate2? _ca;
    private readonly string? _ownerConnectionString;
    private readonly CertificateFleet? _certificates;

    public FabricConnection(LoadOptions options)
    {
        _options = options;
        _certificates = options.Auth == "x509ca" ? new CertificateFleet() : null;
        if (options.Target != "fabric" && options.Tls)
        {
            // The TLS baseline: mosquitto serves the node's own certificate, so both are trusted through the node's CA.
            _ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(options.DataDirectory, "certs", "ca.pem"));
        }

        if (options.Target == "fabric")
        {
            _ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(options.DataDirectory, "certs", "ca.pem"));
            _ownerConnectionString = File.ReadAllText(Path.Combine(options.DataDirectory, "owner-connection-string.txt")).Trim();
            var http = CreateHttpClient(64);
            http.BaseAddress = new Uri($"https://{options.Host}:{options.HttpsPort}");
            http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            Http = http;
        }
    }

    public HttpClient? Http { get; }

    /// <summary>
    /// An HTTPS client that trusts the node's CA as <see cref="Http"/> does, without a base address or a token: for the
    /// signed URLs devices download update files from.
    /// </summary>
    public HttpClient CreateHttpClient(int maxConnectionsPerServer) => _ca is null
        ? throw new InvalidOperationException("Only the fabric target has a CA to trust.")
        : new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnectionsPerServer,
            SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && Trusted(c) },
        });

    public string DeviceId(int index) => $"{_options.DevicePrefix}-{index:D6}";

    /// <summary>A key derived from the device id, so registration need not read keys back.</summary>
    public static string KeyOf(string deviceId) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("devicefabric-load/" + deviceId)));

    /// <summary>Creates the devices (100 a request) unless they exist; updates their keys to the derived ones.</summary>
    public async Task RegisterAsync(int count, CancellationToken cancellationToken)
    {
        if (Http is null)
        {
            return;
        }

        if (_certificates is not null)
        {
            await _certificates.UploadAndVerifyAsync(this, cancellationToken);

            // Issued before the clock starts: the figures are the node's, not the harness's signing.
            for (var i = 0; i < count; i++)
            {
                _certificates.LeafFor(DeviceId(i));
            }
        }

        var authentication = _certificates is null ? null : "{\"type\":\"certificateAuthority\"}";

        for (var rule = 0; rule < _options.Rules; rule++)
        {
            // The figure is the cost of evaluating: a threshold that never fires, a window of the last 10 messages, then
            // anomaly detection (spikes and dips) on the same field.
            var body = (rule % 3) switch
            {
                0 => "{\"condition\":\"body.value > 1000000\"}",
                1 => "{\"condition\":\"window.avg > 1000000\",\"window\":{\"field\":\"body.value\",\"messages\":10}}",
                _ => "{\"anomaly\":{\"field\":\"body.value\",\"kind\":\"spikeAndDip\"}}",
            };
            using var put = await SendAsync(HttpMethod.Put, $"/alerts/rules/load-{rule}", body, cancellationToken);
            put.EnsureSuccessStatusCode();
        }

        for (var configuration = 0; configuration < _options.Configurations; configuration++)
        {
            var condition = configuration % 2 == 0 ? "tags.loadGroup = 'none'" : "properties.reported.counter >= 0";
            var body = "{\"content\":{\"deviceContent\":{\"properties.desired.load\":{\"on\":true}}},\"targetCondition\":\"" + condition + "\",\"priority\":" + configuration + "}";
            using var put = await SendAsync(HttpMethod.Put, $"/configurations/load-{configuration}", body, cancellationToken, ("If-Match", "*"));
            put.EnsureSuccessStatusCode();
        }

        // Four bulk requests in flight let the registry shards group-commit across them.
        await Parallel.ForEachAsync(Enumerable.Range(0, (count + 99) / 100), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            var start = batch * 100;
            var items = Enumerable.Range(start, Math.Min(100, count - start)).Select(i =>
                "{\"id\":\"" + DeviceId(i) + "\",\"importMode\":\"createOrUpdate\",\"authentication\":" + (authentication ?? "{\"type\":\"sas\",\"symmetricKey\":{\"primaryKey\":\""
                + KeyOf(DeviceId(i)) + "\",\"secondaryKey\":\"" + KeyOf(DeviceId(i)) + "\"}}") + "}");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/devices") { Content = new StringContent("[" + string.Join(',', items) + "]", Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Authorization", ServiceToken());
            using var response = await Http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
        });
    }

    /// <summary>Sends a service request with a fresh owner token.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string body, CancellationToken cancellationToken, params (string, string)[] headers) =>
        SendAsync(method, path, new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken, headers);

    /// <summary>Sends a service request with a fresh owner token and the content given (a multipart upload); the request disposes it.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent content, CancellationToken cancellationToken, params (string, string)[] headers)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", ServiceToken());
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Http!.SendAsync(request, cancellationToken);
    }

    public async Task<IMqttClient> ConnectAsync(int index, CancellationToken cancellationToken)
    {
        var deviceId = DeviceId(index);
        var source = new IPEndPoint(IPAddress.Parse($"127.0.0.{1 + (index % 50)}"), 0);
        var builder = new MqttClientOptionsBuilder()
            .WithClientId(deviceId)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(300))
            .WithTimeout(TimeSpan.FromSeconds(60))
            .WithEndPoint(new IPEndPoint(IPAddress.Loopback, _options.MqttPort));
        if (_options.Target == "fabric")
        {
            var token = _certificates is null ? SharedAccessSignature.Create($"{_options.Host}/devices/{deviceId}", KeyOf(deviceId), null, DateTimeOffset.UtcNow.AddHours(2)) : null;
            builder = builder.WithCredentials($"{_options.Host}/{deviceId}/?api-version=2021-04-12", token);
            if (_options.Tls)
            {
                var leaf = _certificates?.LeafFor(deviceId);
                builder = builder.WithTlsOptions(o =>
                {
                    o.UseTls().WithTargetHost(_options.Host).WithCertificateValidationHandler(a => a.Certificate is not null && Trusted(a.Certificate));
                    if (leaf is not null)
                    {
                        o.WithClientCertificates([leaf]);
                    }
                });
            }
        }
        else if (_options.Tls)
        {
            builder = builder.WithTlsOptions(o => o.UseTls().WithTargetHost(_options.Host).WithCertificateValidationHandler(a => a.Certificate is not null && Trusted(a.Certificate)));
        }

        var clientOptions = builder.Build();
        ((MqttClientTcpOptions)clientOptions.ChannelOptions).LocalEndpoint = source;
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(clientOptions, cancellationToken);
        return result.ResultCode == MqttClientConnectResultCode.Success
            ? client
            : throw new InvalidOperationException($"{deviceId}: CONNACK {result.ResultCode}");
    }

    /// <summary>The provisioning service's ID scope, as the node saved it.</summary>
    public string IdScope => File.ReadAllText(Path.Combine(_options.DataDirectory, "provisioning-id-scope.txt")).Trim();

    /// <summary>Sends a provisioning service request with a fresh token of its owner policy.</summary>
    public async Task<HttpResponseMessage> SendProvisioningAsync(HttpMethod method, string path, string body, CancellationToken cancellationToken)
    {
        var parts = (await File.ReadAllTextAsync(Path.Combine(_options.DataDirectory, "provisioning-connection-string.txt"), cancellationToken)).Trim()
            .Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", SharedAccessSignature.Create(parts["HostName"], parts["SharedAccessKey"], parts["SharedAccessKeyName"], DateTimeOffset.UtcNow.AddHours(1)));
        return await Http!.SendAsync(request, cancellationToken);
    }

    /// <summary>Connects a registering device as the Azure SDKs do: DPS's username, a token for its registration signed with its key.</summary>
    public async Task<IMqttClient> ConnectProvisioningAsync(string idScope, string registrationId, string key, int index, CancellationToken cancellationToken)
    {
        var token = SharedAccessSignature.Create($"{idScope}/registrations/{registrationId}", key, "registration", DateTimeOffset.UtcNow.AddHours(1));
        var builder = new MqttClientOptionsBuilder()
            .WithClientId(registrationId)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCredentials($"{idScope}/registrations/{registrationId}/api-version=2019-03-31&ClientVersion=devicefabric-load", token)
            .WithTimeout(TimeSpan.FromSeconds(60))
            .WithEndPoint(new IPEndPoint(IPAddress.Loopback, _options.MqttPort));
        if (_options.Tls)
        {
            builder = builder.WithTlsOptions(o => o.UseTls().WithTargetHost(_options.Host).WithCertificateValidationHandler(a => a.Certificate is not null && Trusted(a.Certificate)));
        }

        var clientOptions = builder.Build();
        ((MqttClientTcpOptions)clientOptions.ChannelOptions).LocalEndpoint = new IPEndPoint(IPAddress.Parse($"127.0.0.{1 + (index % 50)}"), 0);
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(clientOptions, cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"{registrationId}: CONNACK {result.ResultCode}");
        }

        return client;
    }

    public string TelemetryTopic(int index) => $"devices/{DeviceId(index)}/messages/events/";

    public void Dispose()
    {
        Http?.Dispose();
        _ca?.Dispose();
        _certificates?.Dispose();
    }

    /// <summary>An owner token, valid an hour, for clients this class does not send with (the digital twins listener).</summary>
    public string OwnerToken() => ServiceToken();

    private string ServiceToken()
    {
        var parts = _ownerConnectionString!.Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        return SharedAccessSignature.Create(parts["HostName"], parts["SharedAccessKey"], parts["SharedAccessKeyName"], DateTimeOffset.UtcNow.AddHours(1));
    }

    private bool Trusted(X509Certificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
