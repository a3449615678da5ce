using System.Collections.Concurrent;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using Orleans.Streams;

namespace DeviceFabric.Mqtt.Telemetry;

/// <summary>
/// Hands telemetry to the hub's partition streams. Messages that arrive while a partition's previous batch is being
/// accepted ride the next batch together, so the stream sees one call per batch, not per message; each caller's task
/// completes when its batch has been accepted (that is when its PUBACK may go). A device's messages arrive one at a
/// time (MQTT handles one publish per connection at once), so they stay in order.
/// </summary>
internal sealed class TelemetryPublisher(IClusterClient client)
{
    private readonly ConcurrentDictionary<string, PartitionWriter> _writers = new(StringComparer.Ordinal);

    public Task PublishAsync(string hub, TelemetryMessage message)
    {
        var key = FabricStreams.TelemetryKey(hub, FabricStreams.TelemetryPartitionOf(message.DeviceId));
        var writer = _writers.GetOrAdd(key, static (k, c) => new PartitionWriter(
            c.GetStreamProvider(FabricStreams.ProviderName).GetStream<TelemetryBatch>(StreamId.Create(FabricStreams.TelemetryNamespace, k))), client);
        return writer.EnqueueAsync(message);
    }

    private sealed class PartitionWriter(IAsyncStream<TelemetryBatch> stream)
    {
        private readonly Lock _gate = new();
        private List<TelemetryMessage> _pending = [];
        private TaskCompletionSource _accepted = NewCompletion();
        private bool _flushing;

        public Task EnqueueAsync(TelemetryMessage message)
        {
            lock (_gate)
            {
                _pending.Add(message);
                var accepted = _accepted.Task;
                if (!_flushing)
                {
                    _flushing = true;
                    _ = Task.Run(FlushAsync);
                }

                return accepted;
            }
        }

        private async Task FlushAsync()
        {
            while (true)
            {
                List<TelemetryMessage> batch;
                TaskCompletionSource accepted;
                lock (_gate)
                {
                    if (_pending.Count == 0)
                    {
                        _flushing = false;
                        return;
                    }

                    (batch, _pending) = (_pending, []);
                    (accepted, _accepted) = (_accepted, NewCompletion());
                }

                try
                {
                    await stream.OnNextAsync(new TelemetryBatch(batch)).ConfigureAwait(false);
                    accepted.SetResult();
                }
                catch (Exception ex)
                {
                    accepted.SetException(ex);
                }
            }
        }

        private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
