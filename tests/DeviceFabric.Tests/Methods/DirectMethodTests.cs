using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DeviceFabric.Client;
using DeviceFabric.Devices;
using DeviceFabric.Methods;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Methods;

/// <summary>Direct methods through REST and the SDK to MQTTnet devices: answers, offline, timeouts, disconnects, limits, many in flight.</summary>
public sealed partial class DirectMethodTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DirectMethodRequest Call(string name, string payload = "null", int responseSeconds = 30, int connectSeconds = 0) =>
        new(name, payload, TimeSpan.FromSeconds(responseSeconds), TimeSpan.FromSeconds(connectSeconds));

    private async Task<DeviceIdentity> NewDeviceAsync() =>
        await Node.Client.Devices.CreateAsync("method-" + Guid.NewGuid().ToString("N")[..12], cancellationToken: Ct);

    /// <summary>Connects a device that answers every call with <paramref name="answer"/> (status, payload), or not at all when it returns null.</summary>
    private async Task<(IMqttClient Client, ConcurrentQueue<string> Received)> ConnectAnsweringAsync(DeviceIdentity device, Func<string, string, (int, string)?> answer)
    {
        var (client, _) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        var received = new ConcurrentQueue<string>();
        client.ApplicationMessageReceivedAsync += async e =>
        {
            var match = RequestTopic().Match(e.ApplicationMessage.Topic);
            var body = e.ApplicationMessage.ConvertPayloadToString() ?? string.Empty;
            received.Enqueue(e.ApplicationMessage.Topic + " " + body);
            if (match.Success && answer(match.Groups["name"].Value, body) is { } reply)
            {
                await client.PublishStringAsync($"$iothub/methods/res/{reply.Item1}/?$rid={match.Groups["rid"].Value}", reply.Item2, MqttQualityOfServiceLevel.AtMostOnce);
            }
        };
        await client.SubscribeAsync("$iothub/methods/POST/#", MqttQualityOfServiceLevel.AtMostOnce, Ct);
        return (client, received);
    }

    [Fact]
    public async Task Rest_InvokesTheDevice_AndReturnsItsStatusAndPayload()
    {
        var device = await NewDeviceAsync();
        var (client, received) = await ConnectAnsweringAsync(device, (name, body) => (200, $$"""{"echo":{{body}},"method":"{{name}}"}"""));
        using var _ = client;
        using var http = Node.CreateHttpClient();

        var response = await http.PostAsync($"/twins/{device.DeviceId}/methods?api-version=2021-04-12", new StringContent(
            """{"methodName":"reboot","payload":{"delay":5},"responseTimeoutInSeconds":10}""", Encoding.UTF8, "application/json"), Ct);
        var result = await ApiAssert.JsonAsync(response);
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal(5, result.GetProperty("payload").GetProperty("echo").GetProperty("delay").GetInt32());
        Assert.Equal("reboot", result.GetProperty("payload").GetProperty("method").GetString());
        Assert.Matches(@"^\$iothub/methods/POST/reboot/\?\$rid=\S+ \{""delay"":5\}$", Assert.Single(received));
    }

    [Fact]
    public async Task Sdk_NullPayload_ReachesTheDeviceAsJsonNull_AndADeviceErrorStatusComesBack()
    {
        var device = await NewDeviceAsync();
        var (client, received) = await ConnectAnsweringAsync(device, (_, _) => (501, "\"not implemented\""));
        using var _ = client;
        var result = await Node.Client.DirectMethods.InvokeAsync(device.DeviceId, Call("unknownMethod"), Ct);
        Assert.Equal(new DirectMethodResult(501, "\"not implemented\""), result);
        Assert.EndsWith(" null", Assert.Single(received), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OfflineDevice_Is404DeviceNotOnline()
    {
        var device = await NewDeviceAsync();
        using var http = Node.CreateHttpClient();
        await ApiAssert.ErrorAsync(
            await http.PostAsync($"/twins/{device.DeviceId}/methods", new StringContent("""{"methodName":"ping"}""", Encoding.UTF8, "application/json"), Ct),
            HttpStatusCode.NotFound, "DeviceNotOnline", 404103);
    }

    [Fact]
    public async Task ConnectTimeout_WaitsForTheDeviceToConnectAndSubscribe()
    {
        var device = await NewDeviceAsync();
        var call = Node.Client.DirectMethods.InvokeAsync(device.DeviceId, Call("ping", connectSeconds: 60), Ct);
        Assert.False(call.IsCompleted);
        var (client, _) = await ConnectAnsweringAsync(device, (_, _) => (200, "\"pong\""));
        using var _ = client;
        Assert.Equal(new DirectMethodResult(200, "\"pong\""), await call.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task SilentDevice_Is504AfterTheResponseTimeout()
    {
        var device = await NewDeviceAsync();
        var (client, received) = await ConnectAnsweringAsync(device, (_, _) => null);
        using var _ = client;
        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => Node.Client.DirectMethods.InvokeAsync(device.DeviceId, Call("slow", responseSeconds: 5), Ct));
        Assert.Equal(DeviceFabricErrorCode.GatewayTimeout, error.ErrorCode);
        Assert.Equal(504, error.StatusCode);
        Assert.Single(received);
    }

    [Fact]
    public async Task DeviceDisconnectingDuringTheCall_FailsItAtOnce()
    {
        var device = await NewDeviceAsync();
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (client, _) = await ConnectAnsweringAsync(device, (_, _) =>
        {
            requested.TrySetResult();
            return null;
        });
        var call = Node.Client.DirectMethods.InvokeAsync(device.DeviceId, Call("hang", responseSeconds: 300), Ct);
        await requested.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await client.DisconnectAsync(cancellationToken: Ct);
        client.Dispose();

        // Well before the 300 s response timeout.
        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => call.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(DeviceFabricErrorCode.DeviceNotOnline, error.ErrorCode);
    }

    [Theory]
    [InlineData("""{"methodName":"big","payload":"BIG"}""", HttpStatusCode.RequestEntityTooLarge, "MessageTooLarge", 413001)]
    [InlineData("""{"methodName":"bad/name"}""", HttpStatusCode.BadRequest, "ArgumentInvalid", 400004)]
    [InlineData("""{"methodName":"x","responseTimeoutInSeconds":4}""", HttpStatusCode.BadRequest, "ArgumentInvalid", 400004)]
    [InlineData("""{"methodName":"x","connectTimeoutInSeconds":301}""", HttpStatusCode.BadRequest, "ArgumentInvalid", 400004)]
    [InlineData("""{"payload":1}""", HttpStatusCode.BadRequest, "ArgumentInvalid", 400004)]
    public async Task BadCall_IsRefusedBeforeAnythingIsSent(string body, HttpStatusCode status, string name, int code)
    {
        var device = await NewDeviceAsync();
        var (client, received) = await ConnectAnsweringAsync(device, (_, _) => (200, "null"));
        using var _ = client;
        using var http = Node.CreateHttpClient();
        var content = body.Replace("\"BIG\"", JsonSerializer.Serialize(new string('x', DirectMethodRequest.MaxPayloadBytes)), StringComparison.Ordinal);
        await ApiAssert.ErrorAsync(await http.PostAsync($"/twins/{device.DeviceId}/methods", new StringContent(content, Encoding.UTF8, "application/json"), Ct), status, name, code);
        Assert.Empty(received);
    }

    [Fact]
    public async Task ManyCallsInFlight_AreMatchedByRequestId_AndUnknownIdsAreDropped()
    {
        fixture.Node.Logs.Expect("answered unknown or late method request");
        var device = await NewDeviceAsync();
        var requests = new ConcurrentQueue<(string Rid, string Body)>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (client, _) = await ConnectAnsweringAsync(device, (_, _) => null);
        using var _ = client;
        client.ApplicationMessageReceivedAsync += e =>
        {
            requests.Enqueue((RequestTopic().Match(e.ApplicationMessage.Topic).Groups["rid"].Value, e.ApplicationMessage.ConvertPayloadToString()!));
            if (requests.Count == 20)
            {
                all.TrySetResult();
            }

            return Task.CompletedTask;
        };

        var calls = Enumerable.Range(0, 20).Select(i => Node.Client.DirectMethods.InvokeAsync(device.DeviceId, Call("double", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Ct)).ToList();
        await all.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await client.PublishStringAsync("$iothub/methods/res/200/?$rid=no-such-request", "1", cancellationToken: Ct);
        foreach (var (rid, body) in requests.Reverse())
        {
            await client.PublishStringAsync($"$iothub/methods/res/200/?$rid={rid}", (int.Parse(body, System.Globalization.CultureInfo.InvariantCulture) * 2).ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken: Ct);
        }

        var results = await Task.WhenAll(calls);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (i * 2).ToString(System.Globalization.CultureInfo.InvariantCulture)), results.Select(r => r.PayloadJson));
        Assert.True(client.IsConnected);
    }

    [GeneratedRegex(@"^\$iothub/methods/POST/(?<name>[^/]+)/\?\$rid=(?<rid>.+)$")]
    private static partial Regex RequestTopic();
}
