using System.Text;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Telemetry;

/// <summary>
/// The live view costs nothing while nobody listens: the fan-outs read nothing back from the log, and a subscriber
/// hears what is stored from when its subscription returns. The node is this class's own, with no alert rules or twin
/// bindings, so its fan-outs have no other listener.
/// </summary>
public sealed class LiveFanOutTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string LivePartitions = "devicefabric-telemetry-live-partitions";

    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WhileNobodyListens_NothingIsReadBack_AndASubscriberHearsFromItsSubscriptionOn()
    {
        using var metrics = new MeterRecorder(Node.Services.GetRequiredService<TelemetryInstruments>().Meter);
        var device = await Node.Client.Devices.CreateAsync("live-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        var (client, _) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        using var _ = client;
        var topic = $"devices/{device.DeviceId}/messages/events/";
        for (var i = 0; i < 20; i++)
        {
            Assert.True((await client.PublishStringAsync(topic, "before", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct)).IsSuccess);
        }

        Assert.Equal(0, metrics.Observe(LivePartitions));
        var received = new Recorder<TelemetryMessage>();
        await using (await Node.Client.Telemetry.SubscribeAsync(received.Add, Ct))
        {
            Assert.Equal(FabricStreams.TelemetryPartitions, metrics.Observe(LivePartitions));
            Assert.True((await client.PublishStringAsync(topic, "after", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct)).IsSuccess);
            await received.WaitForAsync(m => m.DeviceId == device.DeviceId);

            // The twenty stored before were in the log all along (a consumer group reads them); the live view never read them.
            Assert.Equal(["after"], received.Seen.Where(m => m.DeviceId == device.DeviceId).Select(m => Encoding.UTF8.GetString(m.Body)));
            Assert.Equal(1, metrics.Total("devicefabric-telemetry-read"));
        }

        var stored = new List<string>();
        using var enough = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        enough.CancelAfter(TimeSpan.FromSeconds(20));
        await foreach (var e in Node.Client.Telemetry.ReadAsync("live-check", FabricStreams.TelemetryPartitionOf(device.DeviceId), cancellationToken: enough.Token))
        {
            if (e.Message.DeviceId == device.DeviceId)
            {
                stored.Add(Encoding.UTF8.GetString(e.Message.Body));
                if (stored.Count == 21)
                {
                    break;
                }
            }
        }

        Assert.Equal([.. Enumerable.Repeat("before", 20), "after"], stored);
    }

    [Fact]
    public async Task OnceTheLastSubscriptionEnds_TheFanOutsStopHandingOver()
    {
        using var metrics = new MeterRecorder(Node.Services.GetRequiredService<TelemetryInstruments>().Meter);
        var subscription = await Node.Client.Telemetry.SubscribeAsync(_ => Task.CompletedTask, Ct);
        Assert.Equal(FabricStreams.TelemetryPartitions, metrics.Observe(LivePartitions));

        await subscription.DisposeAsync();

        await Eventually.HoldsAsync(() => Task.FromResult(metrics.Observe(LivePartitions)), live => live == 0, "every fan-out stopped once nobody listens");
    }
}
