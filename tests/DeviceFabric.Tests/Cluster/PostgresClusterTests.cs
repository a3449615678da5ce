using System.Globalization;
using System.Text;
using DeviceFabric.Client;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;

namespace DeviceFabric.Tests.Cluster;

/// <summary>Cluster mode: two silos of the same binary on one PostgreSQL database, each with its own HTTPS API.</summary>
public sealed class PostgresClusterTests
{
    private readonly ClusterCertificates _certificates = ClusterCertificates.Create(TestNode.NewDataDirectory());

    [Fact]
    public async Task TwoSilos_ShareTheRegistry_AndOneSurvivesTheOthersStop()
    {
        var connectionString = ExternalService.PostgresConnectionString();
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..12];
        var gatewayA = FreePort.Next();
        var ids = Enumerable.Range(0, 20).Select(i => $"pg-{i:D2}").ToList();

        await using var a = await StartSiloAsync(connectionString, clusterId, gatewayA);
        await using var b = await StartSiloAsync(connectionString, clusterId, FreePort.Next());

        using (var http = a.CreateHttpClient())
        {
            foreach (var id in ids)
            {
                var body = new StringContent(id == "pg-05" ? """{"status":"disabled"}""" : "{}", Encoding.UTF8, "application/json");
                await ApiAssert.JsonAsync(await http.PutAsync($"/devices/{id}", body));
            }
        }

        // The owner key comes from the hub grain, so both silos hand out the same connection string.
        Assert.Equal(a.OwnerConnectionString, b.OwnerConnectionString);
        var created = await ReadAllAsync(b, ids);

        await using (var client = await DeviceFabricClient.ConnectAsync(new DeviceFabricClientOptions
        {
            PostgreSqlConnectionString = connectionString,
            ClusterId = clusterId,
            ServiceId = clusterId,
            ClientCertificate = _certificates.Client,
            ClusterAuthority = _certificates.Authority,
        }, TestContext.Current.CancellationToken))
        {
            Assert.Equal(20, (await client.Devices.GetStatisticsAsync(TestContext.Current.CancellationToken)).TotalDeviceCount);
            var viaSdk = await client.Devices.GetAsync("pg-05", cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(DeviceFabric.Devices.DeviceStatus.Disabled, viaSdk.Status);
        }

        await a.StopAsync();
        Assert.Equal(created, await ReadAllAsync(b, ids));
        using var after = b.CreateHttpClient();
        var listed = await ApiAssert.JsonAsync(await after.GetAsync("/devices"));
        Assert.Equal(ids, listed.EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()));
    }

    [Fact]
    public async Task TwoSilos_RunAJobAcrossTheirShards_AndQueryTheResult()
    {
        var connectionString = ExternalService.PostgresConnectionString();
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..12];
        await using var a = await StartSiloAsync(connectionString, clusterId, FreePort.Next());
        await using var b = await StartSiloAsync(connectionString, clusterId, FreePort.Next());
        var ct = TestContext.Current.CancellationToken;

        using (var http = a.CreateHttpClient())
        {
            var devices = Enumerable.Range(0, 100).Select(i => $"{{\"id\":\"pgjob-{i:D3}\",\"importMode\":\"create\"}}");
            var bulk = await http.PostAsync("/devices", new StringContent("[" + string.Join(',', devices) + "]", Encoding.UTF8, "application/json"), ct);
            Assert.True((await ApiAssert.JsonAsync(bulk)).GetProperty("isSuccessful").GetBoolean());
        }

        // Scheduled through one silo, watched through the other: the job's grains are spread over both.
        await using var watch = await JobWatch.StartAsync(b.Client);
        await a.Client.Jobs.ScheduleTwinUpdateAsync(
            "pg-wave", "STARTSWITH(deviceId, 'pgjob-')", System.Text.Json.Nodes.JsonNode.Parse("""{"tags":{"wave":2}}""")!.AsObject(), cancellationToken: ct);
        var job = await watch.WaitForEndAsync("pg-wave");

        Assert.Equal(DeviceFabric.Jobs.JobStatus.Completed, job.Status);
        Assert.Equal(100, job.Statistics.SucceededCount);
        var count = await b.Client.Query.QueryPageAsync("SELECT COUNT() AS n FROM devices WHERE tags.wave = 2", cancellationToken: ct);
        Assert.Equal(100, System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(count.Items))!["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task TwoSilos_OnNats_TelemetryThroughEither_IsReadByOneConsumerGroup()
    {
        var connectionString = ExternalService.PostgresConnectionString();
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..12];
        await using var a = await StartSiloAsync(connectionString, clusterId, FreePort.Next());
        await using var b = await StartSiloAsync(connectionString, clusterId, FreePort.Next());
        var ct = TestContext.Current.CancellationToken;

        // Six devices, each sending five messages through one silo or the other.
        var sent = new List<(string Device, int Seq)>();
        for (var d = 0; d < 6; d++)
        {
            var node = d % 2 == 0 ? a : b;
            var device = await node.Client.Devices.CreateAsync($"nats-{clusterId[5..]}-{d}", cancellationToken: ct);
            var (client, _) = await MqttDevice.ConnectAsync(node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
            using (client)
            {
                for (var seq = 1; seq <= 5; seq++)
                {
                    var published = await client.PublishStringAsync(
                        $"devices/{device.DeviceId}/messages/events/seq={seq}", $"{{\"seq\":{seq}}}", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
                    Assert.True(published.IsSuccess);
                    sent.Add((device.DeviceId, seq));
                }
            }
        }

        // One consumer group, read through silo B's grain client: every message of both silos, in order per device.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(TimeSpan.FromSeconds(60));
        var read = new List<(string Device, int Seq)>();
        await foreach (var item in b.Client.Telemetry.ReadAsync("cluster-readers", cancellationToken: stop.Token))
        {
            read.Add((item.Message.DeviceId, int.Parse(item.Message.Properties["seq"], CultureInfo.InvariantCulture)));
            if (read.Count == sent.Count)
            {
                break;
            }
        }

        Assert.Equal(sent.OrderBy(m => m.Device).ThenBy(m => m.Seq), read.OrderBy(m => m.Device).ThenBy(m => m.Seq));
        Assert.All(read.GroupBy(m => m.Device), g => Assert.Equal([1, 2, 3, 4, 5], g.Select(m => m.Seq)));
    }

    [Fact]
    public async Task GrainClients_WithoutACertificateOfTheClustersCa_AreRefused()
    {
        var connectionString = ExternalService.PostgresConnectionString();
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..12];
        await using var silo = await StartSiloAsync(connectionString, clusterId, FreePort.Next());
        silo.Logs.Expect("TLS").Expect("certificate").Expect("handshake");
        var options = new DeviceFabricClientOptions
        {
            PostgreSqlConnectionString = connectionString,
            ClusterId = clusterId,
            ServiceId = clusterId,
            ConnectTimeout = TimeSpan.FromSeconds(3),
        };

        await Assert.ThrowsAsync<DeviceFabricServiceException>(() => DeviceFabricClient.ConnectAsync(options, TestContext.Current.CancellationToken));

        options.ClientCertificate = _certificates.Stranger;
        options.ClusterAuthority = _certificates.Authority;
        await Assert.ThrowsAsync<DeviceFabricServiceException>(() => DeviceFabricClient.ConnectAsync(options, TestContext.Current.CancellationToken));

        options.ClientCertificate = _certificates.Client;
        await using var member = await DeviceFabricClient.ConnectAsync(options, TestContext.Current.CancellationToken);
        Assert.Equal(0, (await member.Devices.GetStatisticsAsync(TestContext.Current.CancellationToken)).TotalDeviceCount);
    }

    private static async Task<List<string>> ReadAllAsync(TestNode node, IEnumerable<string> ids)
    {
        using var http = node.CreateHttpClient();
        var devices = new List<string>();
        foreach (var id in ids)
        {
            devices.Add((await ApiAssert.JsonAsync(await http.GetAsync($"/devices/{id}"))).GetRawText());
        }

        return devices;
    }

    private async Task<TestNode> StartSiloAsync(string connectionString, string clusterId, int gatewayPort)
    {
        var settings = new Dictionary<string, string?>(_certificates.Settings())
        {
            ["DeviceFabric:Storage:Mode"] = "PostgreSql",
            ["DeviceFabric:Storage:ConnectionString"] = connectionString,
            ["DeviceFabric:Storage:ClusterId"] = clusterId,
            ["DeviceFabric:Storage:ServiceId"] = clusterId,
            ["DeviceFabric:Storage:AdvertisedAddress"] = "127.0.0.1",
            ["DeviceFabric:Storage:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            // A cluster's telemetry log is NATS JetStream, with streams of this cluster's own.
            ["DeviceFabric:Telemetry:Log"] = "Nats",
            ["DeviceFabric:Telemetry:NatsUrl"] = ExternalService.NatsUrl(),
            ["DeviceFabric:Telemetry:NatsPrefix"] = clusterId,
            // JetStream reserves each stream's MaxBytes of its store up front: small partitions, so many tests fit one server.
            ["DeviceFabric:Hubs:0:Name"] = "devicefabric",
            ["DeviceFabric:Hubs:0:HostName"] = "localhost",
            ["DeviceFabric:Hubs:0:TelemetryPartitionBytes"] = (64L << 20).ToString(CultureInfo.InvariantCulture),
        };
        var node = await TestNode.StartAsync(settings: settings);

        // When a peer leaves, Orleans' in-memory stream agents on the others log the read of a queue it held as cancelled.
        node.Logs.Expect("GetQueueMessagesAsync").Expect("reading from queue");
        return node;
    }
}
