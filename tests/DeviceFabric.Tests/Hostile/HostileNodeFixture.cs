using System.Net.Http.Json;
using System.Text.Json;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Hostile;

/// <summary>
/// A silo in a process of its own, so its memory and CPU time can be read from <c>/proc</c>, with a short connect
/// timeout, a small cap on connections waiting to authenticate, a plain MQTT port, and a control device that keeps
/// sending while the probes run.
/// </summary>
public sealed class HostileNodeFixture : IAsyncLifetime
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    public const int PendingPerAddress = 8;

    internal SiloProcess Node { get; private set; } = null!;

    internal ControlDevice Control { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Node = await SiloProcess.StartAsync(
            TestNode.NewDataDirectory(),
            new Dictionary<string, string>
            {
                ["DeviceFabric:Mqtt:ConnectTimeout"] = ConnectTimeout.ToString(),
                ["DeviceFabric:Mqtt:MaxPendingConnectionsPerAddress"] = PendingPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            plainMqtt: true);
        Node.Logs.Expect("Refused");
        var (id, key) = await CreateDeviceAsync("control");
        Control = await ControlDevice.ConnectAsync(Node, id, key);
    }

    public async ValueTask DisposeAsync()
    {
        await Control.DisposeAsync();

        // Hundreds of probes and fuzz cases ran against this node: what they made it log must stay a handful of lines.
        var lines = Node.Logs.Entries.Count;
        await Node.DisposeAsync();
        Assert.True(lines <= 20, $"the probes made the node log {lines} warnings or errors");
    }

    /// <summary>
    /// Whether, within <paramref name="timeout"/>, the node has half a second in which it uses under a quarter of a core.
    /// A node with a read loop spinning on a dead connection uses a whole one; an idle node's own timers (stream queues
    /// polled every 10 ms, the control device's telemetry) take about a tenth in a Debug build, more on a busy machine,
    /// so a tenth was a coin toss. One that has just started or just served a burst of probes compiles and tidies up in
    /// the background for a moment, which is why this is not one fixed window.
    /// </summary>
    internal async Task<bool> BecomesQuietWithinAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var before = ProcessProbe.CpuTime(Node.Pid);
            await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
            if (ProcessProbe.CpuTime(Node.Pid) - before < TimeSpan.FromMilliseconds(125))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Registers a device through REST and returns its id and primary key.</summary>
    internal async Task<(string Id, string Key)> CreateDeviceAsync(string prefix)
    {
        var id = $"{prefix}-{Guid.NewGuid():N}"[..20];
        using var http = HttpsClients.Create(Node);
        var response = await http.PutAsJsonAsync($"/devices/{id}", new { }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var device = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (id, device.RootElement.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!);
    }
}
