using System.Diagnostics;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Hostile;

/// <summary>
/// A well-behaved device that keeps sending QoS 1 telemetry while probes run, recording how long each PUBACK took: a
/// probe that stalls the node shows up here as a slow acknowledgement or an error.
/// </summary>
internal sealed class ControlDevice : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly string _deviceId;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _slowestTicks;
    private int _errors;

    private ControlDevice(IMqttClient client, string deviceId)
    {
        _client = client;
        _deviceId = deviceId;
        _loop = Task.Run(SendAsync);
    }

    public static async Task<ControlDevice> ConnectAsync(INodeEndpoints node, string deviceId, string key)
    {
        var (client, result) = await MqttDevice.ConnectAsync(node, deviceId, MqttDevice.Token(deviceId, key));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return new ControlDevice(client, deviceId);
    }

    /// <summary>The slowest acknowledgement since the last reset.</summary>
    public TimeSpan Slowest => TimeSpan.FromTicks(Interlocked.Read(ref _slowestTicks));

    /// <summary>Sends that failed, or were not acknowledged, since the last reset.</summary>
    public int Errors => Volatile.Read(ref _errors);

    public bool IsConnected => _client.IsConnected;

    public void Reset()
    {
        Interlocked.Exchange(ref _slowestTicks, 0);
        Interlocked.Exchange(ref _errors, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task SendAsync()
    {
        using var every = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await every.WaitForNextTickAsync(_stop.Token))
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var result = await _client.PublishStringAsync($"devices/{_deviceId}/messages/events/", "{\"t\":1}", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: _stop.Token);
                    if (!result.IsSuccess)
                    {
                        Interlocked.Increment(ref _errors);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Interlocked.Increment(ref _errors);
                }

                var took = Stopwatch.GetElapsedTime(started).Ticks;
                var slowest = Interlocked.Read(ref _slowestTicks);
                while (took > slowest && Interlocked.CompareExchange(ref _slowestTicks, took, slowest) != slowest)
                {
                    slowest = Interlocked.Read(ref _slowestTicks);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
