using System.Collections.Concurrent;
using DeviceFabric.Devices;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.KeyRotation;

/// <summary>
/// The rollover the issue asks for: a connected fleet moves from its primary keys to its secondary and back while it
/// sends telemetry. No device is refused or disconnected except by its own move, and each replaced key is refused
/// right after its replacement.
/// </summary>
public sealed class FleetRolloverTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const int FleetSize = 50;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task AFleetRollsPrimaryToSecondaryAndBack_WhileSendingTelemetry_WithoutARefusalOrADrop()
    {
        Node.Logs.Expect("Refused MQTT connect");
        var prefix = "fleet-" + Guid.NewGuid().ToString("N")[..6];
        var fleet = new List<FleetDevice>();
        for (var i = 0; i < FleetSize; i++)
        {
            var identity = await Node.Client.Devices.CreateAsync($"{prefix}-{i:D2}", cancellationToken: Ct);
            fleet.Add(await FleetDevice.ConnectAsync(Node, identity, identity.Authentication.PrimaryKey!));
        }

        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        var telemetry = Task.Run(() => SendTelemetryAsync(fleet, failures, stop.Token), Ct);
        using var http = Node.CreateHttpClient();

        // 1. New secondaries; 2. the fleet moves to them; 3. new primaries; 4. the fleet moves back; 5. new secondaries.
        await RolloverAsync(http, fleet, "secondary", d => d.Identity.Authentication.SecondaryKey!);
        await MoveAsync(fleet, http, useSecondary: true);
        await RolloverAsync(http, fleet, "primary", d => d.Identity.Authentication.PrimaryKey!);
        await MoveAsync(fleet, http, useSecondary: false);
        await RolloverAsync(http, fleet, "secondary", d => d.Identity.Authentication.SecondaryKey!);

        await stop.CancelAsync();
        var sent = await telemetry;
        Assert.Empty(failures);
        Assert.True(sent >= FleetSize, $"only {sent} messages were sent during the rollover");
        Assert.All(fleet, d => Assert.Equal(0, d.UnexpectedDisconnects));
        foreach (var device in fleet)
        {
            await device.DisposeAsync();
        }
    }

    /// <summary>Regenerates one key of every device; no session closes (none uses that key), and the old key is refused at once.</summary>
    private async Task RolloverAsync(HttpClient http, List<FleetDevice> fleet, string keyType, Func<FleetDevice, string> replacedKey)
    {
        foreach (var device in fleet)
        {
            var replaced = replacedKey(device);
            await DeviceKeyRolloverTests.RegenerateAsync(http, device.Identity.DeviceId, keyType);
            device.Identity = await Node.Client.Devices.GetAsync(device.Identity.DeviceId, Ct);
            var (probe, result) = await MqttDevice.ConnectAsync(Node, device.Identity.DeviceId, MqttDevice.Token(device.Identity.DeviceId, replaced), source: LoopbackSources.Unique());
            probe.Dispose();
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result.ResultCode);
        }
    }

    private async Task MoveAsync(List<FleetDevice> fleet, HttpClient http, bool useSecondary)
    {
        foreach (var device in fleet)
        {
            var auth = device.Identity.Authentication;
            await device.ReconnectAsync(Node, useSecondary ? auth.SecondaryKey! : auth.PrimaryKey!);
        }

        // Every device is connected again, as the registry sees it.
        var connected = 0;
        await foreach (var _ in Node.Client.Query.QueryAsync(
            $"SELECT deviceId FROM devices WHERE STARTSWITH(deviceId, '{fleet[0].Identity.DeviceId[..^3]}') AND connectionState = 'Connected'", cancellationToken: Ct))
        {
            connected++;
        }

        Assert.Equal(FleetSize, connected);
        _ = http;
    }

    private static async Task<int> SendTelemetryAsync(List<FleetDevice> fleet, ConcurrentQueue<string> failures, CancellationToken stop)
    {
        var sent = 0;
        while (!stop.IsCancellationRequested)
        {
            foreach (var device in fleet)
            {
                if (stop.IsCancellationRequested)
                {
                    break;
                }

                var error = await device.SendAsync();
                if (error is not null)
                {
                    failures.Enqueue(error);
                }
                else
                {
                    sent++;
                }
            }
        }

        return sent;
    }

    /// <summary>One device of the fleet: its MQTT client, the moves it makes itself, and the drops it did not ask for.</summary>
    private sealed class FleetDevice : IAsyncDisposable
    {
        private readonly SemaphoreSlim _turn = new(1, 1);
        private IMqttClient _client = null!;
        private int _unexpected;
        private bool _moving;

        private FleetDevice(DeviceIdentity identity) => Identity = identity;

        public DeviceIdentity Identity { get; set; }

        public int UnexpectedDisconnects => Volatile.Read(ref _unexpected);

        public static async Task<FleetDevice> ConnectAsync(TestNode node, DeviceIdentity identity, string key)
        {
            var device = new FleetDevice(identity);
            await device.OpenAsync(node, key);
            return device;
        }

        public async Task ReconnectAsync(TestNode node, string key)
        {
            await _turn.WaitAsync(Ct);
            try
            {
                _moving = true;
                await _client.DisconnectAsync(cancellationToken: Ct);
                _client.Dispose();
                await OpenAsync(node, key);
            }
            finally
            {
                _moving = false;
                _turn.Release();
            }
        }

        /// <summary>Publishes one QoS 1 message; returns why it failed, or null.</summary>
        public async Task<string?> SendAsync()
        {
            await _turn.WaitAsync(Ct);
            try
            {
                var ack = await _client.PublishStringAsync($"devices/{Identity.DeviceId}/messages/events/", "{\"t\":21}", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
                return ack.IsSuccess ? null : $"{Identity.DeviceId}: PUBACK {ack.ReasonCode}";
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
            {
                return $"{Identity.DeviceId}: {ex.GetType().Name} {ex.Message}";
            }
            finally
            {
                _turn.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _moving = true;
            await _client.DisconnectAsync(cancellationToken: Ct);
            _client.Dispose();
        }

        private async Task OpenAsync(TestNode node, string key)
        {
            var (client, result) = await MqttDevice.ConnectAsync(node, Identity.DeviceId, MqttDevice.Token(Identity.DeviceId, key));
            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
            client.DisconnectedAsync += _ =>
            {
                // A replaced client's own disconnect event may come after its replacement is up: only the current one counts.
                if (!_moving && ReferenceEquals(Volatile.Read(ref _client), client))
                {
                    Interlocked.Increment(ref _unexpected);
                }

                return Task.CompletedTask;
            };
            _client = client;
        }
    }
}
