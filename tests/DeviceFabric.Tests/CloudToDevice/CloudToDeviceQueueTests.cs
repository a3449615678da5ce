using System.Collections.Concurrent;
using System.Text;
using DeviceFabric.Client;
using DeviceFabric.CloudToDevice;
using DeviceFabric.Devices;
using DeviceFabric.Mqtt.Protocol;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.CloudToDevice;

/// <summary>The cloud-to-device queue's rules on the grain, with time moved by hand and a recording front end.</summary>
public sealed class CloudToDeviceQueueTests(FakeTimeClusterFixture fixture) : IClassFixture<FakeTimeClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class RecordingFrontEnd : IDeviceConnectionObserver
    {
        public ConcurrentQueue<DeviceBoundMessage> Delivered { get; } = new();

        public SemaphoreSlim Arrived { get; } = new(0);

        public Task CloseSessionAsync(string hub, string deviceId, Guid sessionId, string reason) => Task.CompletedTask;

        public Task DeliverAsync(string hub, string deviceId, Guid sessionId, DeviceBoundMessage message)
        {
            Delivered.Enqueue(message);
            Arrived.Release();
            return Task.CompletedTask;
        }
    }

    private async Task<(string Id, IDeviceSessionGrain Session)> NewDeviceAsync()
    {
        var id = "c2d-" + Guid.NewGuid().ToString("N")[..12];
        await fixture.Client.Devices.CreateAsync(id, cancellationToken: Ct);
        return (id, fixture.Cluster.Client.GetGrain<IDeviceSessionGrain>(DeviceKey.Create("devicefabric", id)));
    }

    /// <summary>
    /// Attaches a subscribed session, waits for the <paramref name="expected"/> deliveries the grain sends on attach (they
    /// travel one-way to this test's observer), detaches, and returns what was delivered.
    /// </summary>
    private async Task<List<DeviceBoundMessage>> ConnectOnceAsync(IDeviceSessionGrain session, int expected)
    {
        var frontEnd = new RecordingFrontEnd();
        var reference = fixture.Cluster.Client.CreateObjectReference<IDeviceConnectionObserver>(frontEnd);
        var sessionId = Guid.NewGuid();
        await session.AttachSessionAsync(new DeviceSession(sessionId, reference, null, fixture.Time.GetUtcNow(), CloudToDeviceSubscribed: true), Ct);
        for (var i = 0; i < expected; i++)
        {
            Assert.True(await frontEnd.Arrived.WaitAsync(TimeSpan.FromSeconds(10), Ct), $"delivery {i + 1} of {expected} did not arrive");
        }

        await session.DetachSessionAsync(sessionId, fixture.Time.GetUtcNow(), "test", cancellationToken: Ct);
        fixture.Cluster.Client.DeleteObjectReference<IDeviceConnectionObserver>(reference);
        return [.. frontEnd.Delivered];
    }

    [Fact]
    public async Task ExpiredMessage_IsNeverDelivered_AndReportedWhenAsked()
    {
        var (id, session) = await NewDeviceAsync();
        var ttl = TimeSpan.FromMinutes(10);
        await fixture.Client.CloudToDevice.SendAsync(id, new CloudToDeviceMessage(Encoding.UTF8.GetBytes("late"), "m-expire", Ack: FeedbackRequest.Negative, ExpiresAt: fixture.Time.GetUtcNow() + ttl), Ct);
        Assert.Equal(1, (await fixture.Client.Devices.GetAsync(id, Ct)).CloudToDeviceMessageCount);

        fixture.Time.Advance(ttl + TimeSpan.FromSeconds(1));
        Assert.Empty(await ConnectOnceAsync(session, expected: 0));
        Assert.Equal(0, (await fixture.Client.Devices.GetAsync(id, Ct)).CloudToDeviceMessageCount);
        var feedback = await DrainFeedbackAsync(fixture.Client, id);
        Assert.Equal(FeedbackStatus.Expired, Assert.Single(feedback, f => f.OriginalMessageId == "m-expire").StatusCode);
    }

    [Fact]
    public async Task UncompletedMessage_IsRedeliveredUpToTenTimes_ThenDeadLettered()
    {
        var (id, session) = await NewDeviceAsync();
        await fixture.Client.CloudToDevice.SendAsync(id, new CloudToDeviceMessage([1, 2, 3], "m-retry", Ack: FeedbackRequest.Full), Ct);

        for (var attempt = 1; attempt <= CloudToDeviceMessage.MaxDeliveryCount; attempt++)
        {
            var delivered = DeviceBoundFrame.Encode(Assert.Single(await ConnectOnceAsync(session, expected: 1)), id);
            Assert.True(delivered.AtLeastOnce);
            Assert.StartsWith($"devices/{id}/messages/devicebound/%24.mid=m-retry&", delivered.Topic, StringComparison.Ordinal);
        }

        Assert.Empty(await ConnectOnceAsync(session, expected: 0));
        var feedback = await DrainFeedbackAsync(fixture.Client, id);
        Assert.Equal(FeedbackStatus.DeliveryCountExceeded, Assert.Single(feedback, f => f.OriginalMessageId == "m-retry").StatusCode);
    }

    [Fact]
    public async Task QueueDepth_IsFifty_AndPurgeEmptiesItWithFeedback()
    {
        var (id, _) = await NewDeviceAsync();
        for (var i = 0; i < CloudToDeviceMessage.MaxQueueDepth; i++)
        {
            await fixture.Client.CloudToDevice.SendAsync(id, new CloudToDeviceMessage([], $"q{i}", Ack: i == 0 ? FeedbackRequest.Negative : FeedbackRequest.None), Ct);
        }

        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => fixture.Client.CloudToDevice.SendAsync(id, new CloudToDeviceMessage([]), Ct));
        Assert.Equal(DeviceFabricErrorCode.DeviceMaximumQueueDepthExceeded, error.ErrorCode);
        Assert.Equal(403, error.StatusCode);
        Assert.Equal(50, (await fixture.Client.Devices.GetAsync(id, Ct)).CloudToDeviceMessageCount);

        Assert.Equal(50, await fixture.Client.CloudToDevice.PurgeAsync(id, Ct));
        Assert.Equal(0, (await fixture.Client.Devices.GetAsync(id, Ct)).CloudToDeviceMessageCount);
        var feedback = await DrainFeedbackAsync(fixture.Client, id);
        Assert.Equal(FeedbackStatus.Purged, Assert.Single(feedback).StatusCode);
    }

    [Theory]
    [InlineData(0, 65 * 1024)]
    [InlineData(49, 10)]
    [InlineData(-1, 10)]
    public async Task BadMessage_IsRefused_AndNothingIsQueued(int expiryHours, int bodyBytes)
    {
        var (id, _) = await NewDeviceAsync();
        var expiry = expiryHours == 0 ? (DateTimeOffset?)null : fixture.Time.GetUtcNow().AddHours(expiryHours);
        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() =>
            fixture.Client.CloudToDevice.SendAsync(id, new CloudToDeviceMessage(new byte[bodyBytes], ExpiresAt: expiry), Ct));
        Assert.Equal(bodyBytes > CloudToDeviceMessage.MaxBodyBytes ? DeviceFabricErrorCode.MessageTooLarge : DeviceFabricErrorCode.ArgumentInvalid, error.ErrorCode);
        Assert.Equal(0, (await fixture.Client.Devices.GetAsync(id, Ct)).CloudToDeviceMessageCount);
    }

    private static async Task<List<FeedbackRecord>> DrainFeedbackAsync(DeviceFabricClient client, string deviceId)
    {
        var all = new List<FeedbackRecord>();
        while (await client.CloudToDevice.ReceiveFeedbackAsync(1000, Ct) is { Count: > 0 } batch)
        {
            all.AddRange(batch);
        }

        return all.Where(f => f.DeviceId == deviceId).ToList();
    }
}
