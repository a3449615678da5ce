using System.Text.Json.Nodes;
using DeviceFabric.Devices;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Devices;

/// <summary>
/// Device health as queries see it, with time moved by hand: a device's usual gap is learned from its telemetry, it
/// turns silent after three such gaps without a message and healthy again with the next one, and a twin tag sets the
/// interval instead.
/// </summary>
public sealed class DeviceHealthTests(FakeTimeClusterFixture fixture) : IClassFixture<FakeTimeClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class SilentFrontEnd : IDeviceConnectionObserver
    {
        public Task CloseSessionAsync(string hub, string deviceId, Guid sessionId, string reason) => Task.CompletedTask;

        public Task DeliverAsync(string hub, string deviceId, Guid sessionId, DeviceBoundMessage message) => Task.CompletedTask;
    }

    [Fact]
    public async Task ADeviceTurnsSilentAfterThreeUsualGaps_HealthyWithItsNextMessage_AndATagSetsItsInterval()
    {
        var id = "health-" + Guid.NewGuid().ToString("N")[..10];
        await fixture.Client.Devices.CreateAsync(id, cancellationToken: Ct);
        var session = fixture.Cluster.Client.GetGrain<IDeviceSessionGrain>(DeviceKey.Create("devicefabric", id));
        var sessionId = Guid.NewGuid();
        var frontEnd = fixture.Cluster.Client.CreateObjectReference<IDeviceConnectionObserver>(new SilentFrontEnd());
        await session.AttachSessionAsync(new DeviceSession(sessionId, frontEnd, null, fixture.Time.GetUtcNow()), Ct);
        Assert.Equal("unknown", (await HealthAsync(id))["state"]!.GetValue<string>());

        // One message every 20 s, reported as the front end does (every report carries the messages since the last).
        for (var i = 0; i < 4; i++)
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(20));
            await ReportAsync(session, sessionId, messages: 1);
        }

        var healthy = await HealthWhenAsync(id, h => h["messagesPerMinute"]?.GetValue<double>() > 2.9);
        Assert.Equal("healthy", healthy["state"]!.GetValue<string>());
        Assert.Equal("learned", healthy["intervalSource"]!.GetValue<string>());
        Assert.Equal(60, healthy["expectedIntervalSeconds"]!.GetValue<double>(), precision: 6);
        Assert.Equal(3.0, healthy["messagesPerMinute"]!.GetValue<double>(), precision: 3);

        fixture.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("healthy", (await HealthAsync(id))["state"]!.GetValue<string>());
        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([id], await IdsAsync($"SELECT deviceId FROM devices WHERE deviceId = '{id}' AND health.state = 'silent'"));

        await ReportAsync(session, sessionId, messages: 1);
        await HealthWhenAsync(id, h => h["state"]!.GetValue<string>() == "healthy");

        await fixture.Client.Twins.UpdateAsync(id, JsonNode.Parse("""{"tags":{"health":{"expectedIntervalSeconds":600}}}""")!.AsObject(), cancellationToken: Ct);
        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        var tagged = await HealthAsync(id);
        Assert.Equal("healthy", tagged["state"]!.GetValue<string>());
        Assert.Equal("tag", tagged["intervalSource"]!.GetValue<string>());
        fixture.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal("silent", (await HealthAsync(id))["state"]!.GetValue<string>());

        // SELECT * answers the twin as IoT Hub does: health is there to be named, not added.
        var all = await fixture.Client.Query.QueryAsync($"SELECT * FROM devices WHERE deviceId = '{id}'", cancellationToken: Ct).FirstAsync(Ct);
        Assert.False(all.ContainsKey("health"));
    }

    /// <summary>A one-way activity report, then a call that returns once the grain has handled it (calls to a grain are handled in order).</summary>
    private async Task ReportAsync(IDeviceSessionGrain session, Guid sessionId, int messages)
    {
        await session.ReportActivityAsync(sessionId, fixture.Time.GetUtcNow(), messages);
        await fixture.Cluster.Client.GetGrain<IDeviceIdentityGrain>(session.GetPrimaryKeyString()).GetAsync(Ct);
    }

    /// <summary>
    /// The device's health once <paramref name="holds"/>: the device grain tells its shard one way, so the newest report
    /// may reach the shard just after the query that follows it.
    /// </summary>
    private async Task<JsonObject> HealthWhenAsync(string id, Func<JsonObject, bool> holds)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        var health = await HealthAsync(id);
        while (!holds(health) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Yield();
            health = await HealthAsync(id);
        }

        return health;
    }

    private async Task<JsonObject> HealthAsync(string id)
    {
        var item = await fixture.Client.Query.QueryAsync($"SELECT deviceId, health FROM devices WHERE deviceId = '{id}'", cancellationToken: Ct).FirstAsync(Ct);
        return item["health"]!.AsObject();
    }

    private async Task<List<string>> IdsAsync(string query)
    {
        var ids = new List<string>();
        await foreach (var item in fixture.Client.Query.QueryAsync(query, cancellationToken: Ct))
        {
            ids.Add(item["deviceId"]!.GetValue<string>());
        }

        return ids;
    }
}
