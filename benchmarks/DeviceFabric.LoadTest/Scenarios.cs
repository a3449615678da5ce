using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.LoadTest;

/// <summary>
/// The load scenarios. Each connects its devices first (connect storm figures come from that phase), then runs its
/// operations bounded in count and time, and reports throughput, latency percentiles, errors and the server's CPU and memory.
/// </summary>
public sealed partial class Scenarios(LoadOptions options, FabricConnection fabric, Action<string> progress)
{
    private const int Concurrency = 64;

    public async Task<LoadResult> RunAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var probe = new ServerProbe(options.ServerPid);
        if (options.Scenario == "digitaltwins")
        {
            deadline.CancelAfter(options.Duration + TimeSpan.FromMinutes(30));
            return await DigitalTwinsAsync(probe, deadline.Token);
        }

        if (options.Scenario == "provision")
        {
            deadline.CancelAfter(options.Duration + TimeSpan.FromMinutes(2));
            return await ProvisionAsync(probe, deadline.Token);
        }

        // Registration is not part of any scenario's time: the deadline starts after it.
        await fabric.RegisterAsync(options.Devices, cancellationToken);
        deadline.CancelAfter(options.Duration + TimeSpan.FromMinutes(2));
        if (options.Scenario == "job")
        {
            return await TwinJobAsync(probe, deadline.Token);
        }

        var rssBefore = probe.ResidentBytes;
        var connect = new LatencyRecorder(options.Devices);
        var clock = Stopwatch.StartNew();
        var clients = await ConnectAllAsync(connect, deadline.Token);
        var connectSeconds = clock.Elapsed.TotalSeconds;
        if (options.Scenario == "update")
        {
            var rollout = await UpdateAsync(clients, probe, deadline.Token);
            await DisconnectAllAsync(clients);
            return rollout;
        }

        if (options.Scenario == "connect")
        {
            var rss = probe.ResidentBytes;
            var result = Result("connect", connect, clients.Length, connectSeconds, probe, rss, (rss - rssBefore) / Math.Max(1, clients.Length), options.Auth == "x509ca" ? "TLS + CA-signed certificate per connect" : "TLS + SAS per connect");
            await DisconnectAllAsync(clients);
            return result;
        }

        var operations = new LatencyRecorder(options.Devices * options.MessagesPerDevice);
        using var window = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        window.CancelAfter(options.Duration);
        probe.Restart();
        clock.Restart();
        using var ticker = new Timer(_ => progress(string.Create(CultureInfo.InvariantCulture,
            $"{options.Scenario}: {operations.Count} ops, {operations.Count / Math.Max(0.001, clock.Elapsed.TotalSeconds):F0}/s, errors {operations.Errors}")), null, 1000, 1000);
        var notes = options.Scenario switch
        {
            "telemetry" => await TelemetryAsync(clients, operations, window.Token),
            "reported" => await ReportedAsync(clients, operations, window.Token),
            "methods" => await MethodsAsync(clients, operations, window.Token),
            "desired" => await DesiredAsync(clients, operations, window.Token),
            "c2d" => await CloudToDeviceAsync(clients, operations, window.Token),
            _ => throw new ArgumentException("Unknown scenario " + options.Scenario),
        };
        var seconds = clock.Elapsed.TotalSeconds;
        var final = Result(options.Scenario, operations, clients.Length, seconds, probe, probe.ResidentBytes, 0, notes);
        await DisconnectAllAsync(clients);
        return final;
    }

    private async Task<IMqttClient[]> ConnectAllAsync(LatencyRecorder latency, CancellationToken cancellationToken)
    {
        var clients = new IMqttClient[options.Devices];
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Devices), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            clients[i] = await fabric.ConnectAsync(i, ct);
            latency.Record(Stopwatch.GetElapsedTime(started));
        });
        return clients;
    }

    private Task<string> TelemetryAsync(IMqttClient[] clients, LatencyRecorder latency, CancellationToken ct) =>
        EachDeviceAsync(clients, latency, ct, async (client, i, n) =>
        {
            var payload = options.Rules > 0 ? JsonPayload(options.PayloadBytes) : new byte[options.PayloadBytes];
            await client.PublishBinaryAsync(fabric.TelemetryTopic(i), payload, (MqttQualityOfServiceLevel)options.Qos, cancellationToken: ct);
        }, $"QoS {options.Qos}, {options.PayloadBytes} B; latency = PUBACK (QoS 1) or send (QoS 0)");

    private async Task<string> ReportedAsync(IMqttClient[] clients, LatencyRecorder latency, CancellationToken ct)
    {
        var waiting = new ConcurrentDictionary<string, TaskCompletionSource>();
        foreach (var client in clients)
        {
            client.ApplicationMessageReceivedAsync += e =>
            {
                var rid = RidOf(e.ApplicationMessage.Topic);
                if (rid is not null && waiting.TryRemove(rid, out var done))
                {
                    done.TrySetResult();
                }

                return Task.CompletedTask;
            };
            await client.SubscribeAsync("$iothub/twin/res/#", cancellationToken: ct);
        }

        return await EachDeviceAsync(clients, latency, ct, async (client, i, n) =>
        {
            var rid = $"{i}-{n}";
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting[rid] = done;
            await client.PublishStringAsync($"$iothub/twin/PATCH/properties/reported/?$rid={rid}", $$"""{"counter":{{n}},"temperature":21.5}""", cancellationToken: ct);
            await done.Task.WaitAsync(ct);
        }, "latency = PATCH to 204 (stored)");
    }

    private async Task<string> MethodsAsync(IMqttClient[] clients, LatencyRecorder latency, CancellationToken ct)
    {
        foreach (var client in clients)
        {
            client.ApplicationMessageReceivedAsync += e =>
                client.PublishStringAsync($"$iothub/methods/res/200/?$rid={RidOf(e.ApplicationMessage.Topic)}", "{\"ok\":true}", cancellationToken: CancellationToken.None);
            await client.SubscribeAsync("$iothub/methods/POST/#", cancellationToken: ct);
        }

        return await EachDeviceAsync(clients, latency, ct, async (_, i, _) =>
        {
            using var response = await fabric.SendAsync(HttpMethod.Post, $"/twins/{fabric.DeviceId(i)}/methods", """{"methodName":"ping","payload":{},"responseTimeoutInSeconds":30}""", ct);
            response.EnsureSuccessStatusCode();
        }, "latency = REST call to device answer");
    }

    private async Task<string> DesiredAsync(IMqttClient[] clients, LatencyRecorder latency, CancellationToken ct)
    {
        var arrived = await SignalsAsync(clients, "$iothub/twin/PATCH/properties/desired/#", ct);
        return await EachDeviceAsync(clients, latency, ct, async (_, i, n) =>
        {
            using var response = await fabric.SendAsync(HttpMethod.Patch, $"/twins/{fabric.DeviceId(i)}", "{\"properties\":{\"desired\":{\"setpoint\":" + n + "}}}", ct, ("If-Match", "\"*\""));
            response.EnsureSuccessStatusCode();
            await arrived[i].WaitAsync(ct);
        }, "latency = REST PATCH to the device receiving it");
    }

    private async Task<string> CloudToDeviceAsync(IMqttClient[] clients, LatencyRecorder latency, CancellationToken ct)
    {
        var arrived = await SignalsAsync(clients, null, ct);
        return await EachDeviceAsync(clients, latency, ct, async (_, i, n) =>
        {
            using var response = await fabric.SendAsync(HttpMethod.Post, $"/devices/{fabric.DeviceId(i)}/messages/deviceBound", "{\"n\":" + n + "}", ct);
            response.EnsureSuccessStatusCode();
            await arrived[i].WaitAsync(ct);
        }, "latency = REST send (stored) to the device receiving it; QoS 1");
    }

    /// <summary>Subscribes every device and gives each a semaphore released per message received.</summary>
    private async Task<SemaphoreSlim[]> SignalsAsync(IMqttClient[] clients, string? filter, CancellationToken ct)
    {
        var signals = new SemaphoreSlim[clients.Length];
        for (var i = 0; i < clients.Length; i++)
        {
            var signal = signals[i] = new SemaphoreSlim(0);
            clients[i].ApplicationMessageReceivedAsync += _ =>
            {
                signal.Release();
                return Task.CompletedTask;
            };
            await clients[i].SubscribeAsync(filter ?? $"devices/{fabric.DeviceId(i)}/messages/devicebound/#", MqttQualityOfServiceLevel.AtLeastOnce, ct);
        }

        return signals;
    }

    /// <summary>Runs <paramref name="operation"/> MessagesPerDevice times per device, devices in parallel, each device sequentially.</summary>
    private async Task<string> EachDeviceAsync(IMqttClient[] clients, LatencyRecorder latency, CancellationToken ct, Func<IMqttClient, int, int, Task> operation, string notes)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, clients.Length), new ParallelOptions { MaxDegreeOfParallelism = clients.Length }, async (i, _) =>
        {
            for (var n = 0; n < options.MessagesPerDevice && !ct.IsCancellationRequested; n++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await operation(clients[i], i, n);
                    latency.Record(Stopwatch.GetElapsedTime(started));
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception)
                {
                    latency.Error();
                }
            }
        });
        return notes;
    }

    private string TargetName => (options.Target, options.Tls) switch
    {
        ("fabric", false) => "fabric (plain)",
        ("fabric", true) => "fabric",
        (var target, true) => target + " (TLS)",
        (var target, false) => target,
    };

    private LoadResult Result(string scenario, LatencyRecorder latency, int devices, double seconds, ServerProbe probe, long rss, long perDevice, string notes) =>
        new(scenario, TargetName, devices, latency.Count, seconds, latency.Count / Math.Max(seconds, 0.001),
            latency.PercentileMs(50), latency.PercentileMs(95), latency.PercentileMs(99), latency.PercentileMs(100),
            latency.Errors, probe.CpuPercent, probe.HarnessCpuPercent, rss, perDevice, notes);

    private static async Task DisconnectAllAsync(IMqttClient[] clients) =>
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (client, _) =>
        {
            try
            {
                await client.DisconnectAsync();
            }
            catch (Exception)
            {
                // The run is over; a connection the server already closed is not an error of the scenario.
            }

            client.Dispose();
        });

    private static string? RidOf(string topic) => Rid().Match(topic) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"\$rid=([^&]+)")]
    private static partial Regex Rid();

    /// <summary>A JSON body of about <paramref name="bytes"/> bytes with a numeric field the rules read.</summary>
    private static byte[] JsonPayload(int bytes)
    {
        var head = "{\"value\":" + Random.Shared.Next(0, 100).ToString(CultureInfo.InvariantCulture) + ",\"pad\":\"";
        return System.Text.Encoding.UTF8.GetBytes(head + new string('x', Math.Max(0, bytes - head.Length - 2)) + "\"}");
    }
}
