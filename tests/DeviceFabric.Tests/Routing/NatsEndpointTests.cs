using System.Net;
using System.Net.Sockets;
using System.Text;
using DeviceFabric.Routing;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;

namespace DeviceFabric.Tests.Routing;

/// <summary>Routes to NATS subjects: delivered with their properties as headers to a real nats-server, dead-lettered when it is gone.</summary>
public sealed class NatsEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARouteToANatsSubject_PublishesEachMatchingMessage_WithItsPropertiesAsHeaders()
    {
        var url = ExternalService.NatsUrl();
        await using var node = await TestNode.StartAsync();
        var subject = "devicefabric.test." + Guid.NewGuid().ToString("N")[..8];
        await using var nats = new NatsConnection(new NatsOpts { Url = url });
        await using var subscription = await nats.SubscribeCoreAsync<byte[]>(subject, serializer: NatsRawSerializer<byte[]>.Default, cancellationToken: Ct);
        await nats.PingAsync(Ct);
        var device = await node.Client.Devices.CreateAsync("nats-" + Guid.NewGuid().ToString("N")[..8], cancellationToken: Ct);
        await node.Client.Routing.PutAsync(new RoutingSettings(
            [new RoutingEndpoint("bus", RoutingEndpointKind.Nats, url, subject)],
            [new RoutingRoute("alarms", RoutingSource.DeviceMessages, "level = 'alarm'", ["bus"])],
            []), cancellationToken: Ct);

        await RoutedTelemetry.SendAsync(node, device, ("""{"t":1}""", "level=info&n=1"), ("""{"t":2}""", "level=alarm&n=2"));

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        var received = await subscription.Msgs.ReadAsync(limit.Token);
        Assert.Equal("""{"t":2}""", Encoding.UTF8.GetString(received.Data!));
        Assert.Equal("2", received.Headers!["n"].ToString());
        Assert.Equal(device.DeviceId, received.Headers["iothub-connection-device-id"].ToString());
        Assert.False(subscription.Msgs.TryRead(out _));
    }

    [Fact]
    public async Task ANatsServerThatIsNotThere_IsRetried_ThenTheMessageIsDeadLettered()
    {
        await using var node = await TestNode.StartAsync();
        node.Logs.Expect("dead-letter");
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var device = await node.Client.Devices.CreateAsync("nats-gone-" + Guid.NewGuid().ToString("N")[..8], cancellationToken: Ct);
        await node.Client.Routing.PutAsync(new RoutingSettings(
            [new RoutingEndpoint("bus", RoutingEndpointKind.Nats, $"nats://127.0.0.1:{port}", "devicefabric.nowhere")],
            [new RoutingRoute("all", RoutingSource.DeviceMessages, null, ["bus"])],
            []), cancellationToken: Ct);

        await RoutedTelemetry.SendAsync(node, device, ("""{"t":1}""", "n=1"));

        var log = node.Services.GetRequiredService<ITelemetryLog>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromMinutes(1));
        var position = EventPosition.Earliest;
        TelemetryEvent? dead = null;
        while (dead is null)
        {
            var read = await log.ReadAsync(TelemetryLogNames.Of("devicefabric", TelemetryLogNames.DeadLetter), FabricStreams.TelemetryPartitionOf(device.DeviceId), position, 10, TimeSpan.FromSeconds(5), limit.Token);
            dead = read.Events.FirstOrDefault(e => e.Message.DeviceId == device.DeviceId);
            position = read.Next;
        }

        Assert.Equal("bus", dead.Message.SystemProperties["deadletter-endpoint"]);
        Assert.Equal("1", dead.Message.Properties["n"]);
    }
}
