using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using DeviceFabric.Hubs;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace DeviceFabric.Storage.Telemetry;

/// <summary>
/// The cluster's telemetry log: one JetStream stream per hub and partition (<c>{prefix}_{hub}_{partition}</c> on the
/// subject <c>{prefix}.{hub}.telemetry.{partition}</c>), made on first use with the hub's retention and size as its
/// limits, so JetStream trims it itself. An event's offset and sequence number are both its stream sequence.
/// </summary>
internal sealed partial class NatsTelemetryLog : ITelemetryLog, IAsyncDisposable
{
    private const int PooledBuffers = 64;
    private const int PooledBufferBytes = 64 * 1024;
    private const int StreamNotFound = 10059;
    private const int StreamNameInUse = 10058;

    private readonly TelemetryLogOptions _options;
    private readonly HubOptions _hubs;
    private readonly ILogger<NatsTelemetryLog> _logger;
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _js;
    private readonly ConcurrentDictionary<(string Hub, int Partition), Task<PartitionStream>> _streams = new();
    private readonly ConcurrentQueue<ArrayBufferWriter<byte>> _buffers = new();
    private int _disposed;

    public NatsTelemetryLog(IOptions<TelemetryLogOptions> options, IOptions<HubOptions> hubs, ILogger<NatsTelemetryLog> logger)
    {
        _options = options.Value;
        _hubs = hubs.Value;
        _logger = logger;
        // The connection opens on first use and reconnects by itself, so a silo starts while NATS is still coming up.
        var urls = string.Join(',', _options.NatsUrl.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        _connection = new NatsConnection(new NatsOpts { Url = urls, Name = "devicefabric" });
        _js = new NatsJSContext(_connection);
    }

    public async ValueTask AppendAsync(string hub, int partition, TelemetryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var stream = await EnsureStreamAsync(hub, partition).ConfigureAwait(false);
        var buffer = _buffers.TryDequeue(out var pooled) ? pooled : new ArrayBufferWriter<byte>(1024);
        try
        {
            // JetStream numbers the message: the record's own sequence stays 0 and readers take the stream's.
            TelemetryRecord.Write(buffer, 0, message);
            // The PubAck comes once the stream has stored it (on a quorum of its replicas): the durability rule the
            // PUBACK waits for. No lock: the connection pipelines overlapping publishes and matches their acks.
            var ack = await _js.PublishAsync(stream.Subject, buffer.WrittenMemory, NatsRawSerializer<ReadOnlyMemory<byte>>.Default).ConfigureAwait(false);
            ack.EnsureSuccess();
        }
        catch (NatsJSPublishNoResponseException)
        {
            // Nothing stores the subject any more (the stream was deleted behind our back): the next append makes it again.
            _streams.TryRemove((hub, partition), out _);
            throw;
        }
        finally
        {
            // The publish has copied the bytes into the connection's buffer by the time it completes, failed or not.
            if (buffer.Capacity <= PooledBufferBytes && _buffers.Count < PooledBuffers)
            {
                buffer.ResetWrittenCount();
                _buffers.Enqueue(buffer);
            }
        }
    }

    public async Task<TelemetryPartitionInfo> GetPartitionAsync(string hub, int partition, CancellationToken cancellationToken = default)
    {
        var state = (await StreamInfoAsync(hub, partition, cancellationToken).ConfigureAwait(false)).State;
        return state.Messages == 0
            ? new TelemetryPartitionInfo(partition, null, null, 0, (long)state.LastSeq, null)
            : new TelemetryPartitionInfo(partition, (long)state.FirstSeq, (long)state.LastSeq, (long)state.FirstSeq, (long)state.LastSeq, ParseTimestamp(state.LastTs));
    }

    public async Task<long> ApplyRetentionAsync(string hub, int partition, CancellationToken cancellationToken = default)
    {
        var definition = Hub(hub);
        var before = await StreamInfoAsync(hub, partition, cancellationToken).ConfigureAwait(false);
        var config = before.Config;
        // JetStream trims by MaxAge and MaxBytes itself; this only carries changed limits to a stream made with others.
        if (config.MaxAge != definition.TelemetryRetention || config.MaxBytes != definition.TelemetryPartitionBytes)
        {
            await _js.UpdateStreamAsync(config with
            {
                MaxAge = definition.TelemetryRetention,
                MaxBytes = definition.TelemetryPartitionBytes,
                // The server refuses a duplicate window longer than the age limit.
                DuplicateWindow = config.DuplicateWindow > definition.TelemetryRetention ? definition.TelemetryRetention : config.DuplicateWindow,
            }, cancellationToken).ConfigureAwait(false);
            LogLimitsUpdated(_logger, config.Name ?? string.Empty, definition.TelemetryRetention, definition.TelemetryPartitionBytes);
        }

        var after = await StreamInfoAsync(hub, partition, cancellationToken).ConfigureAwait(false);
        return Math.Max(0L, (long)FirstHeld(after.State) - (long)FirstHeld(before.State));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>An empty stream's first sequence is the next it will store (a new one says 0), so an append is no removal.</summary>
    private static ulong FirstHeld(StreamState state) => state.Messages == 0 ? state.LastSeq + 1 : state.FirstSeq;

    /// <summary>JetStream's RFC 3339 time, which has nanoseconds: .NET parses seven fraction digits at most.</summary>
    private static DateTimeOffset? ParseTimestamp(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
    }

    private async Task<StreamInfo> StreamInfoAsync(string hub, int partition, CancellationToken cancellationToken)
    {
        var stream = await EnsureStreamAsync(hub, partition).ConfigureAwait(false);
        try
        {
            return (await _js.GetStreamAsync(stream.Name, null, cancellationToken).ConfigureAwait(false)).Info;
        }
        catch (NatsJSApiException e) when (e is { Error.ErrCode: StreamNotFound })
        {
            // Deleted behind our back (an operator, a test's cleanup): made again on next use.
            _streams.TryRemove((hub, partition), out _);
            throw;
        }
    }

    /// <summary>The partition's stream, made (or brought to the hub's limits) once per process on first use.</summary>
    private async ValueTask<PartitionStream> EnsureStreamAsync(string hub, int partition)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, FabricStreams.TelemetryPartitions);
        if (_streams.TryGetValue((hub, partition), out var ensured))
        {
            return await ensured.ConfigureAwait(false);
        }

        var definition = Hub(hub);
        var created = new TaskCompletionSource<PartitionStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        ensured = _streams.GetOrAdd((hub, partition), created.Task);
        if (ensured != created.Task)
        {
            return await ensured.ConfigureAwait(false);
        }

        try
        {
            created.SetResult(await CreateStreamAsync(hub, definition, partition).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            // Forgotten before the waiters hear of it, so the next call tries again instead of failing for good.
            _streams.TryRemove(KeyValuePair.Create((hub, partition), created.Task));
            created.SetException(e);
        }

        return await created.Task.ConfigureAwait(false);
    }

    /// <remarks>A named log's stream is <c>{prefix}_{hub}_{endpoint}_{partition}</c>: hub names have no '_', so names never collide.</remarks>
    private async Task<PartitionStream> CreateStreamAsync(string log, HubDefinition hub, int partition)
    {
        var number = partition.ToString(CultureInfo.InvariantCulture);
        var stream = new PartitionStream($"{_options.NatsPrefix}_{log.Replace('.', '_')}_{number}", $"{_options.NatsPrefix}.{log}.telemetry.{number}");
        var config = new StreamConfig(stream.Name, [stream.Subject])
        {
            Retention = StreamConfigRetention.Limits,
            Storage = StreamConfigStorage.File,
            Discard = StreamConfigDiscard.Old,
            MaxAge = hub.TelemetryRetention,
            MaxBytes = hub.TelemetryPartitionBytes,
            NumReplicas = _options.NatsReplicas,
        };
        // An update first (a create when there is none), so limits changed since an earlier run apply from here on.
        // Silos starting together race to create the same stream: the loser's create is refused as a name in use, and
        // its second try finds the stream and updates it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _js.CreateOrUpdateStreamAsync(config).ConfigureAwait(false);
                break;
            }
            catch (NatsJSApiException e) when (attempt < 3 && e.Error.ErrCode == StreamNameInUse)
            {
                LogStreamRace(_logger, stream.Name);
            }
        }

        LogStreamReady(_logger, stream.Name, stream.Subject, hub.TelemetryRetention, hub.TelemetryPartitionBytes, _options.NatsReplicas);
        return stream;
    }

    private HubDefinition Hub(string log)
    {
        var hub = TelemetryLogNames.HubOf(log);
        return _hubs.All.FirstOrDefault(h => h.Name == hub) ?? throw new ArgumentException($"'{hub}' is not a hub of this fabric", nameof(log));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telemetry stream {Stream} was created by another silo at the same time; updating it instead")]
    private static partial void LogStreamRace(ILogger logger, string stream);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telemetry stream {Stream} ready on {Subject}: keeps messages {MaxAge}, at most {MaxBytes} bytes, {Replicas} replicas")]
    private static partial void LogStreamReady(ILogger logger, string stream, string subject, TimeSpan maxAge, long maxBytes, int replicas);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telemetry stream {Stream} now keeps messages {MaxAge}, at most {MaxBytes} bytes")]
    private static partial void LogLimitsUpdated(ILogger logger, string stream, TimeSpan maxAge, long maxBytes);

    private sealed record PartitionStream(string Name, string Subject);
}
