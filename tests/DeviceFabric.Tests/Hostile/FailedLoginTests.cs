using System.Diagnostics;
using System.Net;
using DeviceFabric.Mqtt.Hosting;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace DeviceFabric.Tests.Hostile;

/// <summary>
/// Guessing keys gets slower from the source that guesses, and only from it; every refusal is counted, and the log gets
/// one line for all of them.
/// </summary>
public sealed class FailedLoginTests : IAsyncLifetime
{
    private static readonly IPAddress s_guesser = IPAddress.Parse("127.0.0.7");
    private static readonly IPAddress s_neighbour = IPAddress.Parse("127.0.0.8");
    private TestNode _node = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _node = await TestNode.StartAsync(settings: new Dictionary<string, string?>
        {
            ["DeviceFabric:Mqtt:FailedLoginsBeforeBackoff"] = "2",
            ["DeviceFabric:Mqtt:MaxLoginBackoff"] = "00:00:02",

            // Shorter than the longest hold: a held-back refusal must still get its CONNACK, not be cut off.
            ["DeviceFabric:Mqtt:ConnectTimeout"] = "00:00:01",
        });
        _node.Logs.Expect("Refused MQTT connect");
    }

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task RepeatedFailures_FromOneSource_AreHeldBack_WhileOtherSourcesAreNot()
    {
        using var metrics = new MeterRecorder(_node.Services.GetRequiredService<MqttInstruments>().Meter);
        var device = await _node.Client.Devices.CreateAsync("guessed-" + Guid.NewGuid().ToString("N")[..8], cancellationToken: Ct);
        var forged = MqttDevice.Token(device.DeviceId, Convert.ToBase64String(new byte[32]));

        var took = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var started = Stopwatch.GetTimestamp();
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, (await ConnectAsync(device.DeviceId, forged, s_guesser)).ResultCode);
            took.Add(Stopwatch.GetElapsedTime(started));
        }

        // Two free failures, then 250 ms, 500 ms and 1 s of hold: lower bounds only, whatever the machine's speed.
        Assert.True(took[3] >= TimeSpan.FromMilliseconds(450), $"4th refusal after {took[3].TotalMilliseconds} ms");
        Assert.True(took[4] >= TimeSpan.FromMilliseconds(950), $"5th refusal after {took[4].TotalMilliseconds} ms");

        // While the guesser waits out its next hold (2 s, past the connect timeout), a neighbour's device connects: its
        // answer comes first, and the guesser's refusal still arrives as a CONNACK.
        var held = ConnectAsync(device.DeviceId, forged, s_guesser);
        var neighbour = ConnectAsync(device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!), s_neighbour);
        Assert.Same(neighbour, await Task.WhenAny(held, neighbour));
        Assert.Equal(MqttClientConnectResultCode.Success, (await neighbour).ResultCode);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, (await held).ResultCode);

        Assert.Equal(6, metrics.Total("devicefabric-mqtt-connects-refused"));
        Assert.Equal(4, metrics.Total("devicefabric-mqtt-login-backoffs"));
        Assert.Single(_node.Logs.Entries, e => e.Message.Contains($"from {s_guesser}", StringComparison.Ordinal));
    }

    private async Task<MqttClientConnectResult> ConnectAsync(string deviceId, string token, IPAddress source)
    {
        var (client, result) = await MqttDevice.ConnectAsync(_node, deviceId, token, source: source);
        client.Dispose();
        return result;
    }
}
