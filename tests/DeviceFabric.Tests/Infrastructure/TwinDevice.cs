using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DeviceFabric.Devices;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>A connected MQTTnet device speaking IoT Hub's twin topics, recording every twin message it receives.</summary>
internal sealed partial class TwinDevice : IDisposable
{
    private readonly Recorder<(string Topic, string Body)> _received = new();
    private int _rid;

    private TwinDevice(IMqttClient client) => Client = client;

    public IMqttClient Client { get; }

    public static async Task<TwinDevice> ConnectAsync(INodeEndpoints node, DeviceIdentity device, bool subscribeDesired = true)
    {
        var (client, result) = await MqttDevice.ConnectAsync(node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        var twin = new TwinDevice(client);
        client.ApplicationMessageReceivedAsync += e => twin._received.Add((e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString() ?? string.Empty));
        await client.SubscribeAsync("$iothub/twin/res/#", MqttQualityOfServiceLevel.AtMostOnce, TestContext.Current.CancellationToken);
        if (subscribeDesired)
        {
            await client.SubscribeAsync("$iothub/twin/PATCH/properties/desired/#", MqttQualityOfServiceLevel.AtMostOnce, TestContext.Current.CancellationToken);
        }

        return twin;
    }

    /// <summary>Sends a twin request and waits for its response: status, the <c>$version</c> if any, and the body.</summary>
    public Task<(int Status, long? Version, string Body)> RequestAsync(string operation, string body, string extraQuery = "") =>
        RequestAsync(operation, System.Text.Encoding.UTF8.GetBytes(body), extraQuery);

    /// <summary>Sends a twin request with a body of raw bytes (which need not be UTF-8) and waits for its response.</summary>
    public async Task<(int Status, long? Version, string Body)> RequestAsync(string operation, byte[] body, string extraQuery = "")
    {
        var rid = Interlocked.Increment(ref _rid).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Client.PublishBinaryAsync($"$iothub/twin/{operation}/?$rid={rid}{extraQuery}", body, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: TestContext.Current.CancellationToken);
        var (topic, response) = await _received.WaitForAsync(m => m.Topic.StartsWith("$iothub/twin/res/", StringComparison.Ordinal) && m.Topic.Contains($"$rid={rid}&", StringComparison.Ordinal) || m.Topic.EndsWith($"$rid={rid}", StringComparison.Ordinal));
        var match = ResponseTopic().Match(topic);
        Assert.True(match.Success, topic);
        long? version = match.Groups["version"].Success ? long.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        return (int.Parse(match.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture), version, response);
    }

    public Task<(int Status, long? Version, string Body)> GetAsync(string extraQuery = "") => RequestAsync("GET", " ", extraQuery);

    public Task<(int Status, long? Version, string Body)> PatchReportedAsync(string patch) => RequestAsync("PATCH/properties/reported", patch);

    public Task<(int Status, long? Version, string Body)> PatchReportedAsync(byte[] patch) => RequestAsync("PATCH/properties/reported", patch);

    /// <summary>Waits for the desired patch with this <c>$version</c>.</summary>
    public async Task<JsonObject> WaitForDesiredAsync(long version)
    {
        var (_, body) = await _received.WaitForAsync(m => m.Topic == $"$iothub/twin/PATCH/properties/desired/?$version={version}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public IEnumerable<long> DesiredVersionsReceived =>
        _received.Seen.Where(m => m.Topic.StartsWith("$iothub/twin/PATCH/properties/desired/", StringComparison.Ordinal))
            .Select(m => JsonNode.Parse(m.Body)!["$version"]!.GetValue<long>());

    public void Dispose() => Client.Dispose();

    [GeneratedRegex(@"^\$iothub/twin/res/(?<status>\d+)/\?\$rid=[^&]+(&\$version=(?<version>\d+))?$")]
    private static partial Regex ResponseTopic();
}
