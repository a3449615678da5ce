using DeviceFabric.Client;
using DeviceFabric.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>
/// A real DeviceFabric node in the test process, built by the same composition as the executable: HTTPS on a free
/// loopback port, a silo on free ports, state in a SQLite file (or PostgreSQL) under its own data directory.
/// </summary>
internal sealed class TestNode : INodeEndpoints, IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private TestNode(WebApplication app, string dataDirectory, Uri baseAddress, int mqttTlsPort)
    {
        _app = app;
        MqttTlsPort = mqttTlsPort;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    /// <summary>The Orleans gateway port grain clients connect to.</summary>
    public int GatewayPort { get; private init; }

    /// <summary>The port of the digital twins API (its own HTTPS listener).</summary>
    public int DigitalTwinsPort { get; private init; }

    /// <summary>The port of MQTT over TLS.</summary>
    public int MqttTlsPort { get; }

    public string CaPath => Path.Combine(DataDirectory, "certs", "ca.pem");

    public string OwnerConnectionString => File.ReadAllText(Path.Combine(DataDirectory, OwnerConnectionString_FileName));

    public DeviceFabricClient Client => new(_app.Services.GetRequiredService<IClusterClient>());

    public IServiceProvider Services => _app.Services;

    /// <summary>The node's warnings and errors; whatever no test expected fails the node's owner when it stops.</summary>
    public ServerLogs Logs { get; private init; } = null!;

    private const string OwnerConnectionString_FileName = "owner-connection-string.txt";

    public static string NewDataDirectory() =>
        Path.Combine(Path.GetTempPath(), "devicefabric-tests", Guid.NewGuid().ToString("N"));

    public static async Task<TestNode> StartAsync(string? dataDirectory = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var data = dataDirectory ?? NewDataDirectory();
        var configuration = new Dictionary<string, string?>
        {
            ["DeviceFabric:Node:DataDirectory"] = data,
            ["DeviceFabric:Node:ListenAddress"] = "127.0.0.1",
            ["DeviceFabric:Node:HttpsPort"] = "0",
            // Many nodes run side by side here: none takes the standard port (the first-run test asks for it itself).
            ["DeviceFabric:Node:StandardHttpsPort"] = "0",
            ["DeviceFabric:Storage:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DeviceFabric:Storage:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DeviceFabric:Mqtt:TlsPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DeviceFabric:DigitalTwins:HttpsPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Every test connects from loopback, and many provoke refusals: the failed-login backoff has its own tests.
            ["DeviceFabric:Mqtt:FailedLoginsBeforeBackoff"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var logs = new ServerLogs();
        var app = DeviceFabricApp.Create([], configuration, logging => logging.AddProvider(logs));
        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.Services.GetRequiredService<DeviceFabric.Mqtt.Hosting.MqttFrontEndReadiness>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        // Kestrel lists its endpoints in the order they were configured: the HTTPS API comes first.
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var mqttPort = int.Parse(configuration["DeviceFabric:Mqtt:TlsPort"]!, System.Globalization.CultureInfo.InvariantCulture);
        var gatewayPort = int.Parse(configuration["DeviceFabric:Storage:GatewayPort"]!, System.Globalization.CultureInfo.InvariantCulture);
        var twinsPort = int.Parse(configuration["DeviceFabric:DigitalTwins:HttpsPort"]!, System.Globalization.CultureInfo.InvariantCulture);
        return new TestNode(app, data, new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)), mqttPort)
        {
            GatewayPort = gatewayPort, Logs = logs, DigitalTwinsPort = twinsPort,
        };
    }

    /// <summary>An HTTPS client that trusts only the node's development CA, authorised with <paramref name="authorization"/> (the owner's token by default).</summary>
    public HttpClient CreateHttpClient(string? authorization = "owner") => HttpsClients.Create(this, authorization);

    /// <summary>
    /// Stops the node gracefully; its data directory stays for a restart. Fails if the node logged a warning or an error
    /// that no test expected.
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        Logs.Stopping = true;
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Logs.AssertNoneUnexpected($"The node in {DataDirectory}");
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
