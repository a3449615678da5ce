using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DeviceFabric.Alerts;
using DeviceFabric.Devices;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Tests.Provisioning;
using Microsoft.AspNetCore.Http;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Alerts;

/// <summary>
/// Alert rules on telemetry and twins, through the real MQTT front end: a rule fires once when its condition turns
/// true, clears when it turns false, calls its webhook (retrying a failure), honours its window, cool-down and
/// target, and bad rules are refused naming the field. Each test uses its own node, so no other test's devices count.
/// </summary>
public sealed class AlertRulesTests : IAsyncLifetime
{
    private TestNode _node = null!;
    private readonly Recorder<AlertEvent> _events = new();
    private IAsyncDisposable? _subscription;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _node = await TestNode.StartAsync();
        _subscription = await _node.Client.Alerts.SubscribeAsync(_events.Add, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _subscription!.DisposeAsync();
        await _node.DisposeAsync();
    }

    [Fact]
    public async Task ATelemetryRule_FiresOnceWhileItsConditionHolds_ClearsWhenItStops_AndCallsItsWebhookAgainAfterAFailure()
    {
        await using var webhook = await WebhookServer.StartAsync();
        var calls = 0;
        webhook.Answer = _ => Task.FromResult(Interlocked.Increment(ref calls) == 1 ? Results.StatusCode(503) : Results.Ok());
        var (device, client) = await ConnectAsync("hot");
        using var _ = client;
        await _node.Client.Alerts.PutRuleAsync(new AlertRule("too-hot", AlertSource.Telemetry, "body.temperature > 30", AlertSeverity.Critical, WebhookUrl: webhook.Url), cancellationToken: Ct);

        // The rule applies within a second of being stored: hot messages until it fires, then more, then a cool one.
        await SendUntilAsync(client, device, """{"temperature":35}""", e => e.RuleId == "too-hot" && e.Kind == AlertEventKind.Fired);
        await SendAsync(client, device, """{"temperature":36}""");
        await SendAsync(client, device, """{"temperature":20}""");
        var cleared = await _events.WaitForAsync(e => e.RuleId == "too-hot" && e.Kind == AlertEventKind.Cleared);

        Assert.Single(_events.Seen, e => e.RuleId == "too-hot" && e.Kind == AlertEventKind.Fired);
        Assert.Equal(device.DeviceId, cleared.DeviceId);
        Assert.Equal(20, JsonDocument.Parse(cleared.Value).RootElement.GetProperty("body").GetProperty("temperature").GetInt32());
        var history = await _node.Client.Alerts.ListEventsAsync(ruleId: "too-hot", cancellationToken: Ct);
        Assert.Equal([AlertEventKind.Fired, AlertEventKind.Cleared], history.Select(e => e.Kind));

        // The first call was refused (503) and retried a second later; the clearing went meanwhile.
        var requests = new[] { await webhook.NextRequestAsync(), await webhook.NextRequestAsync(), await webhook.NextRequestAsync() };
        var fired = requests.Where(r => r.GetProperty("kind").GetString() == "fired").ToList();
        Assert.Equal(2, fired.Count);
        Assert.All(fired, r => Assert.Equal(history[0].Sequence, r.GetProperty("sequence").GetInt64()));
        Assert.All(fired, r => Assert.Equal("critical", r.GetProperty("severity").GetString()));
        Assert.Single(requests, r => r.GetProperty("kind").GetString() == "cleared" && r.GetProperty("sequence").GetInt64() == history[1].Sequence);
    }

    [Fact]
    public async Task AWindowedRule_FiresOnTheAverage_AndItsCooldownHoldsBackARefiring()
    {
        var (device, client) = await ConnectAsync("window");
        using var _ = client;
        await _node.Client.Alerts.PutRuleAsync(new AlertRule(
            "avg-hot", AlertSource.Telemetry, "window.avg > 30 AND window.count >= 2", Window: new AlertWindow("body.t", Messages: 2), Cooldown: TimeSpan.FromHours(1)), cancellationToken: Ct);

        // Pairs of 40: the average of the last two is 40 once two have arrived.
        await SendUntilAsync(client, device, """{"t":40}""", e => e.RuleId == "avg-hot" && e.Kind == AlertEventKind.Fired);
        await SendAsync(client, device, """{"t":10}""");
        await SendAsync(client, device, """{"t":10}""");
        await _events.WaitForAsync(e => e.RuleId == "avg-hot" && e.Kind == AlertEventKind.Cleared);
        await SendAsync(client, device, """{"t":50}""");
        await SendAsync(client, device, """{"t":50}""");

        // Hot again within the hour: no second firing; a later event of another rule shows the stream went on.
        await _node.Client.Alerts.PutRuleAsync(new AlertRule("marker", AlertSource.Telemetry, "body.t = 99"), cancellationToken: Ct);
        await SendUntilAsync(client, device, """{"t":99}""", e => e.RuleId == "marker" && e.Kind == AlertEventKind.Fired);
        Assert.Single(_events.Seen, e => e.RuleId == "avg-hot" && e.Kind == AlertEventKind.Fired);
    }

    [Fact]
    public async Task ATwinRule_WatchesOnlyItsTargets_AndAPatchWithoutItsPropertyLeavesItAsItWas()
    {
        var (watched, watchedClient) = await ConnectAsync("battery");
        var (other, otherClient) = await ConnectAsync("other");
        using var _ = watchedClient;
        using var __ = otherClient;
        await _node.Client.Twins.UpdateAsync(watched.DeviceId, System.Text.Json.Nodes.JsonNode.Parse("""{"tags":{"fleet":"north"}}""")!.AsObject(), cancellationToken: Ct);
        await _node.Client.Alerts.PutRuleAsync(new AlertRule("low-battery", AlertSource.Twin, "properties.reported.battery < 10", TargetCondition: "tags.fleet = 'north'"), cancellationToken: Ct);
        using var watchedTwin = await TwinDevice.ConnectAsync(_node, watched, subscribeDesired: false);
        using var otherTwin = await TwinDevice.ConnectAsync(_node, other, subscribeDesired: false);

        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (!_events.Seen.Any(e => e.RuleId == "low-battery") && DateTimeOffset.UtcNow < deadline)
        {
            Assert.Equal(204, (await otherTwin.PatchReportedAsync("""{"battery":3}""")).Status);
            Assert.Equal(204, (await watchedTwin.PatchReportedAsync("""{"battery":5}""")).Status);
        }

        var fired = await _events.WaitForAsync(e => e.RuleId == "low-battery" && e.Kind == AlertEventKind.Fired);
        Assert.Equal(watched.DeviceId, fired.DeviceId);
        Assert.Equal(204, (await watchedTwin.PatchReportedAsync("""{"firmware":"2.0"}""")).Status);
        Assert.Equal(204, (await watchedTwin.PatchReportedAsync("""{"battery":80}""")).Status);
        await _events.WaitForAsync(e => e.RuleId == "low-battery" && e.Kind == AlertEventKind.Cleared);
        Assert.DoesNotContain(_events.Seen, e => e.DeviceId == other.DeviceId);
        Assert.Single(_events.Seen, e => e.RuleId == "low-battery" && e.Kind == AlertEventKind.Fired);
    }

    [Fact]
    public async Task AnAnomalyRule_FiresOnASpikeInTheDevicesOwnHistory_AndClearsWithTheNextNormalValue()
    {
        var (device, client) = await ConnectAsync("spiky");
        using var _ = client;
        await _node.Client.Alerts.PutRuleAsync(
            new AlertRule("spike", AlertSource.Telemetry, string.Empty, AlertSeverity.Error, Anomaly: new AlertAnomaly("body.t", AnomalyKind.SpikeAndDip, 99.9)),
            cancellationToken: Ct);

        // The device's own history: values around 20 (a fixed wobble), learned by its detector, then a jump to 35.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        var i = 0;
        while (!_events.Seen.Any(e => e.RuleId == "spike") && DateTimeOffset.UtcNow < deadline)
        {
            var normal = 20 + (((i++ % 5) - 2) * 0.3);
            await SendAsync(client, device, $$"""{"t":{{normal.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""");
            if (i % 50 == 0)
            {
                await SendAsync(client, device, """{"t":35}""");
            }
        }

        var fired = await _events.WaitForAsync(e => e.RuleId == "spike" && e.Kind == AlertEventKind.Fired);
        var anomaly = JsonDocument.Parse(fired.Value).RootElement.GetProperty("anomaly");
        Assert.True(anomaly.GetProperty("detected").GetBoolean());
        Assert.Equal(35, JsonDocument.Parse(fired.Value).RootElement.GetProperty("body").GetProperty("t").GetDouble());
        Assert.InRange(anomaly.GetProperty("expected").GetDouble(), 19, 21);
        await SendAsync(client, device, """{"t":20}""");
        await _events.WaitForAsync(e => e.RuleId == "spike" && e.Kind == AlertEventKind.Cleared);
    }

    [Theory]
    [InlineData("""{"anomaly":{"field":"body.t","confidence":50}}""", "anomaly.confidence")]
    [InlineData("""{"source":"twin","anomaly":{"field":"body.t"}}""", "anomaly")]
    [InlineData("""{"condition":"body.t >"}""", "condition")]
    [InlineData("""{"condition":"body.t > 1","severity":"apocalyptic"}""", "severity")]
    [InlineData("""{"condition":"body.t > 1","window":{"field":"body.t"}}""", "window")]
    [InlineData("""{"condition":"body.t > 1","source":"twin","window":{"field":"body.t","messages":3}}""", "window")]
    [InlineData("""{"condition":"body.t > 1","webhookUrl":"ftp://example.com/x"}""", "webhookUrl")]
    [InlineData("""{"condition":"body.t > 1","cooldownSeconds":-5}""", "cooldownSeconds")]
    [InlineData("""{"source":"telemetry"}""", "condition")]
    public async Task BadRules_AreRefused_NamingTheField_AndStoreNothing(string body, string field)
    {
        using var http = _node.CreateHttpClient();

        using var response = await http.PutAsync("/alerts/rules/bad", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/alerts/rules/bad", Ct)).StatusCode);
    }

    [Fact]
    public async Task Rules_AreManagedOverRest()
    {
        using var http = _node.CreateHttpClient();
        using var put = await http.PutAsJsonAsync("/alerts/rules/rest-rule", new { condition = "body.level > 3", severity = "error", cooldownSeconds = 60, webhookUrl = "https://example.com/hook?code=secret" }, Ct);
        var stored = await put.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("telemetry", stored.GetProperty("source").GetString());
        Assert.Equal("https://example.com/hook?...", stored.GetProperty("webhookUrl").GetString());
        Assert.Equal("https://example.com/hook?code=secret", (await _node.Client.Alerts.ListRulesAsync(Ct)).Single(r => r.Id == "rest-rule").WebhookUrl);

        // Read, changed and written back with its masked webhook: the rule keeps the URL it had.
        using var again = await http.PutAsJsonAsync("/alerts/rules/rest-rule", new { condition = "body.level > 4", webhookUrl = "https://example.com/hook?..." }, Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("https://example.com/hook?code=secret", (await _node.Client.Alerts.ListRulesAsync(Ct)).Single(r => r.Id == "rest-rule").WebhookUrl);
        var listed = await http.GetFromJsonAsync<JsonElement>("/alerts/rules", Ct);
        Assert.Contains(listed.GetProperty("value").EnumerateArray(), r => r.GetProperty("id").GetString() == "rest-rule");
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync("/alerts/rules/rest-rule", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync("/alerts/rules/rest-rule", Ct)).StatusCode);
    }

    private async Task<(DeviceIdentity Device, IMqttClient Client)> ConnectAsync(string prefix)
    {
        var device = await _node.Client.Devices.CreateAsync($"{prefix}-{Guid.NewGuid():N}"[..20], cancellationToken: Ct);
        var (client, result) = await MqttDevice.ConnectAsync(_node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return (device, client);
    }

    private static async Task SendAsync(IMqttClient client, DeviceIdentity device, string body)
    {
        var ack = await client.PublishStringAsync($"devices/{device.DeviceId}/messages/events/", body, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        Assert.True(ack.IsSuccess);
    }

    /// <summary>Sends <paramref name="body"/> until an event matching <paramref name="until"/> arrives (a rule applies within a second).</summary>
    private async Task SendUntilAsync(IMqttClient client, DeviceIdentity device, string body, Func<AlertEvent, bool> until)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (!_events.Seen.Any(until) && DateTimeOffset.UtcNow < deadline)
        {
            await SendAsync(client, device, body);
            await Task.Yield();
        }

        await _events.WaitForAsync(until);
    }
}
