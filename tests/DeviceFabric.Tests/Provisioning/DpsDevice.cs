using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using DeviceFabric.Security;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Provisioning;

/// <summary>
/// A device that registers over DPS's MQTT dialect the way the Azure SDKs do: TLS, the DPS username, a token for
/// <c>{idScope}/registrations/{id}</c> signed with <c>skn=registration</c>, a register, then polls after each
/// <c>retry-after</c> until the operation is over.
/// </summary>
internal sealed class DpsDevice : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly Channel<(int Status, string Query, JsonElement Body)> _answers = Channel.CreateUnbounded<(int, string, JsonElement)>();
    private int _requests;

    private DpsDevice(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            // $dps/registrations/res/{status}/?{query}
            var parts = e.ApplicationMessage.Topic.Split('/');
            var body = JsonDocument.Parse(Encoding.UTF8.GetString(e.ApplicationMessage.Payload)).RootElement.Clone();
            _answers.Writer.TryWrite((int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture), parts[4].TrimStart('?'), body));
            return Task.CompletedTask;
        };
    }

    public static string Token(string idScope, string registrationId, string key, TimeSpan? validFor = null) =>
        SharedAccessSignature.Create($"{idScope}/registrations/{registrationId}", key, "registration", DateTimeOffset.UtcNow + (validFor ?? TimeSpan.FromHours(1)));

    /// <summary>Connects; returns the CONNACK's result and, when accepted, the device (subscribed to its answers).</summary>
    public static async Task<(MqttClientConnectResultCode Result, DpsDevice? Device)> ConnectAsync(
        INodeEndpoints node, string idScope, string registrationId, string? password, System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate = null)
    {
        var (client, result) = await MqttDevice.ConnectAsync(
            node, registrationId, password, username: $"{idScope}/registrations/{registrationId}/api-version=2019-03-31&ClientVersion=devicefabric-tests", clientCertificate: clientCertificate);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            return (result.ResultCode, null);
        }

        var device = new DpsDevice(client);
        await client.SubscribeAsync("$dps/registrations/res/#", MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
        return (result.ResultCode, device);
    }

    /// <summary>Registers and polls until the operation is over; returns the last answer's status and body.</summary>
    public async Task<(int Status, JsonElement Body)> RegisterAsync(string registrationId, string? payloadJson = null)
    {
        var body = payloadJson is null ? $$"""{"registrationId":"{{registrationId}}"}""" : $$"""{"registrationId":"{{registrationId}}","payload":{{payloadJson}}}""";
        var answer = await RequestAsync($"$dps/registrations/PUT/iotdps-register/?$rid={++_requests}", body);
        while (answer.Status == 202)
        {
            await Task.Delay(RetryAfter(answer.Query), TestContext.Current.CancellationToken);
            var operationId = answer.Body.GetProperty("operationId").GetString();
            answer = await RequestAsync($"$dps/registrations/GET/iotdps-get-operationstatus/?$rid={++_requests}&operationId={operationId}", " ");
        }

        return (answer.Status, answer.Body);
    }

    /// <summary>Sends one request and returns its answer (whose query must name the same request id).</summary>
    public async Task<(int Status, string Query, JsonElement Body)> RequestAsync(string topic, string body)
    {
        var requestId = topic[(topic.IndexOf("$rid=", StringComparison.Ordinal) + 5)..].Split('&')[0];
        await _client.PublishStringAsync(topic, body, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        var answer = await _answers.Reader.ReadAsync(timeout.Token);
        Assert.Contains($"$rid={requestId}", answer.Query, StringComparison.Ordinal);
        return answer;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The answer's <c>retry-after</c> in seconds (the Node SDK waits it times 1000 ms), 2 s when absent as the SDK defaults.</summary>
    private static TimeSpan RetryAfter(string query) =>
        query.Split('&').FirstOrDefault(p => p.StartsWith("retry-after=", StringComparison.Ordinal)) is { } pair
            ? TimeSpan.FromSeconds(double.Parse(pair["retry-after=".Length..], System.Globalization.CultureInfo.InvariantCulture))
            : TimeSpan.FromSeconds(2);
}
