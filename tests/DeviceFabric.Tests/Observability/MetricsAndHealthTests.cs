using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DeviceFabric.Api.Security;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using MQTTnet;

namespace DeviceFabric.Tests.Observability;

/// <summary>
/// The node as an operator watches it: Prometheus metrics at <c>/metrics</c> counting exactly the traffic sent, the
/// liveness and readiness endpoints (unready once the storage is gone), and who may read the metrics.
/// </summary>
[Collection(ExactMetricsCollection.Name)]
public sealed partial class MetricsAndHealthTests : IAsyncLifetime
{
    private TestNode _node = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _node = await TestNode.StartAsync();

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Metrics_CountTheTrafficSent_ReadableFromLoopbackWithoutAToken()
    {
        var device = await _node.Client.Devices.CreateAsync("metrics-" + Guid.NewGuid().ToString("N")[..8], cancellationToken: Ct);
        using var twin = await TwinDevice.ConnectAsync(_node, device, subscribeDesired: false);
        for (var i = 0; i < 7; i++)
        {
            var ack = await twin.Client.PublishStringAsync($"devices/{device.DeviceId}/messages/events/", "{\"n\":" + i + "}", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
            Assert.True(ack.IsSuccess);
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(204, (await twin.PatchReportedAsync($$"""{"n":{{i}}}""")).Status);
        }

        using var anonymous = _node.CreateHttpClient(authorization: null);
        var text = await anonymous.GetStringAsync("/metrics", Ct);

        Assert.Equal(7, Value(text, "devicefabric_telemetry_messages_total", "hub=\"devicefabric\""));
        Assert.Equal(7 * 7, Value(text, "devicefabric_telemetry_bytes_total", "hub=\"devicefabric\""));
        Assert.Equal(3, Value(text, "devicefabric_twin_writes_total", "kind=\"reported\""));
        Assert.Equal(1, Value(text, "devicefabric_mqtt_connects_total", "auth=\"sas\""));
        Assert.Equal(1, Value(text, "devicefabric_mqtt_devices_connected", "hub=\"devicefabric\""));
        Assert.True(Value(text, "devicefabric_storage_write_batch_size_count", null) > 0);

        // The device's first message reached its health at once (the front end does not wait for its next packet).
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        System.Text.Json.Nodes.JsonObject? health = null;
        while (DateTimeOffset.UtcNow < deadline && health?["lastTelemetryTime"] is null)
        {
            var item = await _node.Client.Query.QueryAsync($"SELECT health FROM devices WHERE deviceId = '{device.DeviceId}'", cancellationToken: Ct).FirstAsync(Ct);
            health = item["health"]!.AsObject();
        }

        Assert.NotNull(health?["lastTelemetryTime"]);
    }

    [Fact]
    public async Task Metrics_FromAnotherMachine_NeedAPolicyToken()
    {
        var context = new DefaultHttpContext { RequestServices = _node.Services };
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
        context.Response.Body = new MemoryStream();
        var reached = false;

        await OperatorAccess.RequireLoopbackOrTokenAsync(context, _ => { reached = true; return Task.CompletedTask; });
        Assert.False(reached);
        Assert.Equal(401, context.Response.StatusCode);

        _node.Logs.Expect("Refused a service token");
        var withToken = new DefaultHttpContext { RequestServices = _node.Services };
        withToken.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
        withToken.Request.Headers.Authorization = ServiceToken.FromConnectionString(_node.OwnerConnectionString);
        await OperatorAccess.RequireLoopbackOrTokenAsync(withToken, _ => { reached = true; return Task.CompletedTask; });
        Assert.True(reached);
    }

    [Fact]
    public async Task Readiness_TurnsUnready_WhenTheStorageIsGone_WhileLivenessStaysUp()
    {
        using var anonymous = _node.CreateHttpClient(authorization: null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz", Ct)).StatusCode);
        using (var ready = await anonymous.GetAsync("/readyz", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Ct)).RootElement;
            Assert.Equal(["listeners", "silo", "storage"], body.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order());
        }

        // The database file disappears from under the node (a deleted volume, a wrong mount).
        _node.Logs.Expect("Health check storage");
        File.Move(Path.Combine(_node.DataDirectory, "devicefabric.db"), Path.Combine(_node.DataDirectory, "moved-away.db"));
        try
        {
            using var unready = await anonymous.GetAsync("/readyz", Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
            var body = JsonDocument.Parse(await unready.Content.ReadAsStringAsync(Ct)).RootElement;
            Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz", Ct)).StatusCode);
        }
        finally
        {
            File.Move(Path.Combine(_node.DataDirectory, "moved-away.db"), Path.Combine(_node.DataDirectory, "devicefabric.db"));
        }
    }

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels contain <paramref name="label"/>.</summary>
    private static double Value(string exposition, string metric, string? label)
    {
        foreach (Match line in Sample().Matches(exposition))
        {
            if (line.Groups["name"].Value == metric && (label is null || line.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(line.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        throw new Xunit.Sdk.XunitException($"No sample of {metric} with {label} in:\n{exposition}");
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
