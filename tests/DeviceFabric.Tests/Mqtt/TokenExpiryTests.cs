using DeviceFabric.Security;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;

namespace DeviceFabric.Tests.Mqtt;

/// <summary>A session lives as long as the SAS token it connected with (plus the grace), as IoT Hub's does.</summary>
public sealed class TokenExpiryTests : IAsyncLifetime
{
    private TestNode _node = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _node = await TestNode.StartAsync(settings: new Dictionary<string, string?>
        {
            ["DeviceFabric:TokenClockSkew"] = "00:00:00",
            ["DeviceFabric:Mqtt:TokenExpiryGrace"] = "00:00:00",
        });

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Session_IsClosedWhenItsTokenExpires()
    {
        var device = await _node.Client.Devices.CreateAsync("expiring-" + Guid.NewGuid().ToString("N")[..8], cancellationToken: Ct);
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var token = SharedAccessSignature.Create($"localhost/devices/{device.DeviceId}", device.Authentication.PrimaryKey!, null, expiresAt);
        var (shortLived, result) = await MqttDevice.ConnectAsync(_node, device.DeviceId, token);
        using var _ = shortLived;
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        var closed = MqttDevice.WhenDisconnected(shortLived);

        await closed.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        // The token's expiry has second precision: the close comes no earlier than its last whole second.
        Assert.True(DateTimeOffset.UtcNow >= expiresAt.AddSeconds(-1), $"closed at {DateTimeOffset.UtcNow:O}, before the token expired at {expiresAt:O}");
    }
}
