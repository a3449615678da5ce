using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using DeviceFabric.RestClient;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Hosting;

/// <summary>
/// A first run as a new user makes it: the executable started in an empty directory with no settings keeps its data
/// there, prints paths the next commands can use as written, serves the REST API on the standard port too (here a
/// free port stands in for 443, which tests cannot share), and tells tools where it is through endpoints.json.
/// </summary>
public sealed class FirstRunTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFirstRun_KeepsItsDataInTheWorkingDirectory_AndServesTheStandardPortToo()
    {
        var directory = Directory.CreateTempSubdirectory("devicefabric-first-run-").FullName;
        var standard = FreePort.Next();
        await using var silo = await SiloProcess.StartAsync("data", new Dictionary<string, string> { ["DeviceFabric:Node:StandardHttpsPort"] = $"{standard}" }, workingDirectory: directory);

        var data = Path.Combine(directory, "data");
        Assert.True(File.Exists(Path.Combine(data, "certs", "ca.pem")), silo.Output);
        Assert.Contains("(saved to data/owner-connection-string.txt)", silo.Output, StringComparison.Ordinal);
        Assert.Contains("trust the CA at data/certs/ca.pem", silo.Output, StringComparison.Ordinal);
        Assert.Contains($"portal at https://localhost:{standard}/portal", silo.Output, StringComparison.Ordinal);
        Assert.Contains("try the CLI: devicefabric device-identity create", silo.Output, StringComparison.Ordinal);

        var endpoints = NodeEndpointsFile.Read(data);
        Assert.NotNull(endpoints);
        Assert.Equal(new Uri($"https://localhost:{standard}"), endpoints.Https);
        Assert.Equal(silo.MqttTlsPort, endpoints.MqttTlsPort);
        Assert.Equal(new Uri($"https://localhost:{silo.DigitalTwinsPort}"), endpoints.DigitalTwins);

        // The printed connection string and CA are all a client needs, on the standard port and on the node's own.
        var login = ServiceConnectionString.Parse(await File.ReadAllTextAsync(Path.Combine(data, "owner-connection-string.txt"), Ct));
        var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(data, "certs", "ca.pem"));
        foreach (var address in new[] { endpoints.Https, silo.BaseAddress })
        {
            using var client = new FabricRestClient(login, address, ca);
            var created = await client.PutAsync("/devices/first-run-1", new System.Text.Json.Nodes.JsonObject(), cancellationToken: Ct);
            Assert.Equal("first-run-1", created?["deviceId"]?.GetValue<string>());
            await client.DeleteAsync("/devices/first-run-1", cancellationToken: Ct);
        }
    }

    [Fact]
    public async Task WhenTheStandardPortCannotBeBound_TheNodeSaysSoOnce_AndServesItsOwnPort()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var data = TestNode.NewDataDirectory();
        await using var silo = await SiloProcess.StartAsync(data, new Dictionary<string, string> { ["DeviceFabric:Node:StandardHttpsPort"] = $"{port}" });

        Assert.Single(silo.Output.Split('\n'), line => line.Contains($"port {port} is in use", StringComparison.Ordinal));
        Assert.Contains($"the REST API is on port {silo.BaseAddress.Port} only", silo.Output, StringComparison.Ordinal);
        Assert.Equal(silo.BaseAddress, NodeEndpointsFile.Read(data)!.Https);
        using var http = HttpsClients.Create(silo);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/statistics/devices", Ct)).StatusCode);
    }
}
