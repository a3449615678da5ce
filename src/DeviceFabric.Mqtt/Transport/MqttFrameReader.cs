using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace DeviceFabric.Mqtt.Transport;

/// <summary>
/// The connection's input as MQTTnet reads it: only whole packets, each checked by <see cref="MqttFrameScanner"/> first.
/// Two things follow. A packet over its limit is refused the moment its fixed header arrives, so nothing of its body is
/// buffered; and when the client goes away halfway through a packet, MQTTnet sees the input end with nothing left over.
/// MQTTnet 5.2's own read loop (<c>MqttConnectionContext.ReceivePacketAsync</c>) stops only when the input is complete
/// <em>and</em> its buffer is empty, so the leftover bytes of a half packet would keep it spinning on a core for ever.
/// </summary>
/// <remarks>
/// On a violation, <c>onViolation</c> decides: false ends the input for MQTTnet at once; true keeps MQTTnet's read
/// pending (the bytes that still arrive are discarded) so the caller can have MQTTnet send a DISCONNECT first.
/// </remarks>
internal sealed class MqttFrameReader(PipeReader inner, MqttFrameScanner scanner, Func<MqttFrameViolation, bool> onViolation) : PipeReader
{
    /// <summary>Bytes at the start of the inner buffer that are whole, checked packets MQTTnet has not consumed yet.</summary>
    private long _checked;

    /// <summary>The end of the inner buffer last read, which MQTTnet never sees past the last whole packet.</summary>
    private SequencePosition _innerEnd;

    /// <summary>The slice last handed to MQTTnet: whole packets only.</summary>
    private ReadOnlySequence<byte> _given;

    private bool _ended;

    // Pooled: every read of every connection goes through here, so its state machine should not be an allocation each.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_ended)
            {
                return new ReadResult(ReadOnlySequence<byte>.Empty, isCanceled: false, isCompleted: true);
            }

            var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            while (true)
            {
                var packet = scanner.NextPacket(buffer.Slice(_checked), out var violation);
                if (violation is { } refused)
                {
                    inner.AdvanceTo(buffer.End);
                    if (onViolation(refused))
                    {
                        return await DrainAsync(cancellationToken).ConfigureAwait(false);
                    }

                    _ended = true;
                    return new ReadResult(ReadOnlySequence<byte>.Empty, isCanceled: false, isCompleted: true);
                }

                if (packet == 0)
                {
                    break;
                }

                _checked += packet;
            }

            if (_checked > 0 || result.IsCanceled)
            {
                _given = buffer.Slice(0, _checked);
                _innerEnd = buffer.End;
                return new ReadResult(_given, result.IsCanceled, isCompleted: false);
            }

            if (result.IsCompleted)
            {
                // The client is gone: whatever it left of a packet is dropped, and MQTTnet sees a clean end.
                _ended = true;
                inner.AdvanceTo(buffer.End);
                return new ReadResult(ReadOnlySequence<byte>.Empty, isCanceled: false, isCompleted: true);
            }

            // Not a whole packet yet: wait for more bytes.
            inner.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Discards what arrives until the connection ends or the read is cancelled; MQTTnet never sees it.</summary>
    private async ValueTask<ReadResult> DrainAsync(CancellationToken cancellationToken)
    {
        _ended = true;
        while (true)
        {
            var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
            inner.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return new ReadResult(ReadOnlySequence<byte>.Empty, result.IsCanceled, isCompleted: true);
            }
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        // MQTTnet only awaits ReadAsync; a synchronous read would have to repeat its framing, so none is offered.
        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (_ended)
        {
            return;
        }

        // The slice handed out shares the inner buffer's segments, so its positions are the inner buffer's too. What
        // MQTTnet examined to the end of that slice was all it was given; the inner reader must wait for bytes beyond.
        _checked -= _given.Slice(_given.Start, consumed).Length;
        inner.AdvanceTo(consumed, examined.Equals(_given.End) ? _innerEnd : examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);
}
