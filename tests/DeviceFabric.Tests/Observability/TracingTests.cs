using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Observability;

/// <summary>
/// Traces cross the front end, the grains and the storage: a device's reported patch is one trace from its MQTT request
/// through the twin grain to the stored write, and a direct method call is one trace from the REST request through the
/// device grain to the front end that delivers it. Heard with an in-process listener, as an exporter hears them.
/// </summary>
public sealed class TracingTests(TracingTests.TracedNode fixture) : IClassFixture<TracingTests.TracedNode>, IDisposable
{
    private readonly Capture _capture = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AReportedPatch_IsOneTrace_FromTheMqttRequestThroughTheTwinGrainToTheStoredWrite()
    {
        var device = await fixture.Node.Client.Devices.CreateAsync("traced-" + Guid.NewGuid().ToString("N")[..8], cancellationToken: Ct);
        using var twin = await TwinDevice.ConnectAsync(fixture.Node, device, subscribeDesired: false);

        Assert.Equal(204, (await twin.PatchReportedAsync("""{"traced":true}""")).Status);

        var request = await StoppedAsync(a => a.OperationName == "twin patch reported" && Tag(a, "devicefabric.device") == device.DeviceId);
        var inTrace = await TraceAsync(request.TraceId, a => a.Source.Name == "DeviceFabric.Storage");
        Assert.Contains(inTrace, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        Assert.Contains(inTrace, a => a.Source.Name == "DeviceFabric.Storage" && a.OperationName == "storage.write");
    }

    [Fact]
    public async Task AMethodCall_IsOneTrace_FromTheRestRequestThroughTheDeviceGrain_AndTheAnswerIsTraced()
    {
        var device = await fixture.Node.Client.Devices.CreateAsync("tracedm-" + Guid.NewGuid().ToString("N")[..8], cancellationToken: Ct);
        var (client, _) = await MqttDevice.ConnectAsync(fixture.Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        using var _ = client;
        client.ApplicationMessageReceivedAsync += e =>
        {
            var rid = e.ApplicationMessage.Topic[(e.ApplicationMessage.Topic.IndexOf("$rid=", StringComparison.Ordinal) + 5)..];
            return client.PublishStringAsync($"$iothub/methods/res/200/?$rid={rid}", "{}", MqttQualityOfServiceLevel.AtMostOnce);
        };
        await client.SubscribeAsync("$iothub/methods/POST/#", MqttQualityOfServiceLevel.AtMostOnce, Ct);
        using var http = fixture.Node.CreateHttpClient();

        using var response = await http.PostAsync($"/twins/{device.DeviceId}/methods", new StringContent(
            """{"methodName":"ping","responseTimeoutInSeconds":10}""", Encoding.UTF8, "application/json"), Ct);
        Assert.True(response.IsSuccessStatusCode);

        var rest = await StoppedAsync(a => a.Source.Name == "Microsoft.AspNetCore" && (a.GetTagItem("url.path") as string)?.EndsWith($"/{device.DeviceId}/methods", StringComparison.Ordinal) == true);
        var grainCalls = await TraceAsync(rest.TraceId, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        Assert.NotEmpty(grainCalls);
        await StoppedAsync(a => a.OperationName == "method response" && Tag(a, "devicefabric.device") == device.DeviceId);
    }

    public void Dispose() => _capture.Dispose();

    private static string? Tag(Activity activity, string name) => activity.GetTagItem(name) as string;

    /// <summary>The first stopped activity matching, waiting for it (spans stop as the work completes).</summary>
    private async Task<Activity> StoppedAsync(Func<Activity, bool> match)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (_capture.Stopped.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(20, Ct);
        }

        throw new Xunit.Sdk.XunitException("No such activity; stopped: " + string.Join(", ", _capture.Stopped.Select(a => $"{a.Source.Name}/{a.OperationName}")));
    }

    /// <summary>The activities of a trace, once one of them matches <paramref name="until"/>.</summary>
    private async Task<List<Activity>> TraceAsync(ActivityTraceId traceId, Func<Activity, bool> until)
    {
        await StoppedAsync(a => a.TraceId == traceId && until(a));
        return _capture.Stopped.Where(a => a.TraceId == traceId).ToList();
    }

    /// <summary>Every activity of the fabric's, Orleans' and ASP.NET Core's sources that stops in this process.</summary>
    private sealed class Capture : IDisposable
    {
        private static readonly string[] s_sources = ["DeviceFabric.Mqtt", "DeviceFabric.Storage", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.AspNetCore"];
        private readonly ActivityListener _listener;

        public Capture()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => s_sources.Contains(source.Name),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = Stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public ConcurrentQueue<Activity> Stopped { get; } = new();

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>A node with tracing on (it is off by default without an OTLP endpoint).</summary>
    public sealed class TracedNode : IAsyncLifetime
    {
        internal TestNode Node { get; private set; } = null!;

        public async ValueTask InitializeAsync() =>
            Node = await TestNode.StartAsync(settings: new Dictionary<string, string?> { ["DeviceFabric:Observability:Tracing"] = "true" });

        public async ValueTask DisposeAsync() => await Node.DisposeAsync();
    }
}
