using DeviceFabric.Telemetry;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace DeviceFabric.Storage.Telemetry;

// Reading a partition: an ephemeral pull consumer per read, made at the position (so the server resolves it), drained
// of what is there, waited on for the first event when there is none, and deleted.
internal sealed partial class NatsTelemetryLog
{
    public async Task<TelemetryReadResult> ReadAsync(string hub, int partition, EventPosition position, int maxCount, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        // Bounded so the cancellation timer below stays in range; a longer poll is the caller's loop.
        maxWait = maxWait > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : maxWait;
        var (config, requested) = ConsumerFor(position, maxWait);
        var stream = await EnsureStreamAsync(hub, partition).ConfigureAwait(false);

        // Each read costs a consumer create and delete (two JetStream API calls, answered by the stream's leader) and one
        // to three pulls. A backend reading in a loop pays that every time; a consumer kept per reader between reads
        // (it already sits where the last read ended) would bring a read down to one pull.
        INatsJSConsumer consumer;
        try
        {
            consumer = await _js.CreateOrUpdateConsumerAsync(stream.Name, config, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException e) when (e is { Error.ErrCode: StreamNotFound })
        {
            _streams.TryRemove((hub, partition), out _);
            throw;
        }

        try
        {
            // The server resolved the position when it made the consumer: Delivered is one before the first it sends.
            var start = consumer.Info.Delivered.StreamSeq + 1;
            var events = new List<TelemetryEvent>(Math.Min(maxCount, 256));
            await FetchAvailableAsync(consumer, partition, requested, maxCount, events, cancellationToken).ConfigureAwait(false);
            if (events.Count == 0 && maxWait > TimeSpan.Zero
                && await WaitForFirstAsync(consumer, partition, requested, maxWait, events, cancellationToken).ConfigureAwait(false)
                && maxCount > 1)
            {
                await FetchAvailableAsync(consumer, partition, requested, maxCount - 1, events, cancellationToken).ConfigureAwait(false);
            }

            return new TelemetryReadResult(events, events.Count > 0 ? EventPosition.AfterOffset(events[^1].Offset) : Unmoved(position, start, requested));
        }
        finally
        {
            await DropConsumerAsync(stream.Name, consumer.Info.Name).ConfigureAwait(false);
        }
    }

    /// <summary>A consumer for one read from <paramref name="position"/>, and the first sequence the read may return.</summary>
    private static (ConsumerConfig Config, ulong Requested) ConsumerFor(EventPosition position, TimeSpan maxWait)
    {
        var config = new ConsumerConfig
        {
            // Readers keep their own checkpoints, so nothing is acked; it lives for one read, so one replica in memory.
            AckPolicy = ConsumerConfigAckPolicy.None,
            MemStorage = true,
            NumReplicas = 1,
            // Removes the consumer of a reader that died between making and deleting it.
            InactiveThreshold = maxWait + TimeSpan.FromSeconds(30),
        };
        ulong requested = 0;
        switch (position.Kind)
        {
            case EventPositionKind.Earliest:
                config.DeliverPolicy = ConsumerConfigDeliverPolicy.All;
                break;
            case EventPositionKind.Latest:
                config.DeliverPolicy = ConsumerConfigDeliverPolicy.New;
                break;
            case EventPositionKind.Offset or EventPositionKind.AfterOffset:
                ArgumentOutOfRangeException.ThrowIfNegative(position.Offset, nameof(position));
                // Sequences count from 1; an offset retention trimmed starts at the first one held, as Event Hubs does.
                requested = Math.Max(1UL, (ulong)position.Offset + (position.Kind == EventPositionKind.AfterOffset ? 1UL : 0UL));
                config.DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence;
                config.OptStartSeq = requested;
                break;
            case EventPositionKind.EnqueuedTime:
                // JetStream's own store time, which is when the message was accepted.
                config.DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartTime;
                config.OptStartTime = position.Time;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(position));
        }

        return (config, requested);
    }

    /// <summary>
    /// Where a read that found nothing goes on: an offset the caller gave stays as it was unless retention passed it;
    /// the others become the sequence the server resolved them to, so what arrives next is not skipped.
    /// </summary>
    private static EventPosition Unmoved(EventPosition position, ulong start, ulong requested) =>
        requested >= start ? position : EventPosition.FromOffset((long)start);

    private static async Task FetchAvailableAsync(INatsJSConsumer consumer, int partition, ulong requested, int count, List<TelemetryEvent> events, CancellationToken cancellationToken)
    {
        var fetch = consumer.FetchNoWaitAsync(new NatsJSFetchOpts { MaxMsgs = count }, NatsRawSerializer<NatsMemoryOwner<byte>>.Default, cancellationToken);
        await foreach (var msg in fetch.ConfigureAwait(false))
        {
            Add(events, msg, partition, requested);
        }
    }

    /// <summary>Waits up to <paramref name="maxWait"/> for one event; whether one came.</summary>
    private static async Task<bool> WaitForFirstAsync(INatsJSConsumer consumer, int partition, ulong requested, TimeSpan maxWait, List<TelemetryEvent> events, CancellationToken cancellationToken)
    {
        // The client wants a pull to last a second at least (and a heartbeat of at most 30 s); a shorter wait is cut by
        // the timer instead of by the server.
        var expires = maxWait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : maxWait;
        var heartbeat = TimeSpan.FromTicks(Math.Min(expires.Ticks / 2, TimeSpan.FromSeconds(30).Ticks));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(maxWait);
        try
        {
            var next = await consumer.NextAsync(
                NatsRawSerializer<NatsMemoryOwner<byte>>.Default,
                new NatsJSNextOpts { Expires = expires, IdleHeartbeat = heartbeat },
                timeout.Token).ConfigureAwait(false);
            if (next is null)
            {
                return false;
            }

            var before = events.Count;
            Add(events, next, partition, requested);
            return events.Count > before;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing arrived in time: the caller answers with what there is.
            return false;
        }
    }

    private static void Add(List<TelemetryEvent> events, INatsJSMsg<NatsMemoryOwner<byte>> msg, int partition, ulong requested)
    {
        msg.EnsureSuccess();
        using var payload = msg.Data;
        var sequence = msg.Metadata?.Sequence.Stream ?? throw new InvalidOperationException("JetStream delivered a telemetry message without its metadata.");
        // A consumer asked to start beyond the tail starts at the tail; what comes before the asked offset is not this read's.
        if (sequence < requested)
        {
            return;
        }

        var (_, message) = TelemetryRecord.Read(payload.Span);
        events.Add(new TelemetryEvent(partition, (long)sequence, (long)sequence, message));
    }

    private async Task DropConsumerAsync(string stream, string consumer)
    {
        // Its own short timeout: a read the caller cancelled still cleans up, and a lost connection does not hold it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _js.DeleteConsumerAsync(stream, consumer, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException)
        {
            LogConsumerLeft(_logger, e, consumer, stream);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not delete the read consumer {Consumer} of {Stream}; its inactivity threshold removes it")]
    private static partial void LogConsumerLeft(ILogger logger, Exception exception, string consumer, string stream);
}
