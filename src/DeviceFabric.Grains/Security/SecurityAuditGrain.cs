using System.Globalization;
using DeviceFabric.Hosting;
using DeviceFabric.Persistence;
using DeviceFabric.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceFabric.Security;

/// <summary>
/// A hub's audit history. The newest events are stored here; every <see cref="SegmentSize"/> of them move to a segment
/// grain written once, so recording an event rewrites at most one segment's worth, and the oldest segments are
/// cleared beyond <see cref="ISecurityAuditGrain.MaxEvents"/>. Each event is stored before it is published.
/// </summary>
internal sealed partial class SecurityAuditGrain(
    [PersistentState("audit", GrainStorage.Name)] IPersistentState<SecurityAuditState> state,
    GrainClock clock,
    SecurityInstruments instruments,
    ILogger<SecurityAuditGrain> logger) : Grain, ISecurityAuditGrain
{
    public const int SegmentSize = 250;
    private const int MaxSegments = ISecurityAuditGrain.MaxEvents / SegmentSize;
    private const int MaxTextLength = 512;

    private IAsyncStream<SecurityAuditEvent>? _stream;

    private string Hub => this.GetPrimaryKeyString();

    public async Task<SecurityAuditEvent> RecordAsync(SecurityAuditKind kind, string subject, string detail, string actor, CancellationToken cancellationToken = default)
    {
        var s = state.State;
        var recorded = new SecurityAuditEvent(Hub, s.LastSequence + 1, kind, Bounded(subject), Bounded(detail), Bounded(actor), clock.Time.GetUtcNow());
        var kept = s.Newest;
        s.Newest = [.. kept, recorded];
        s.LastSequence = recorded.Sequence;
        try
        {
            if (s.Newest.Count >= SegmentSize)
            {
                await Segment(SegmentOf(recorded.Sequence)).StoreAsync(s.Newest);
                s.Newest = [];
            }

            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            // Not stored, so not recorded: the history stays as it was and the caller sees the failure.
            (s.Newest, s.LastSequence) = (kept, recorded.Sequence - 1);
            throw;
        }

        await DropOldestAsync();
        instruments.AuditRecorded(kind);
        LogRecorded(logger, Hub, kind, recorded.Subject, recorded.Actor);
        try
        {
            _stream ??= this.GetStreamProvider(FabricStreams.ProviderName).GetStream<SecurityAuditEvent>(StreamId.Create(FabricStreams.SecurityNamespace, Hub));
            await _stream.OnNextAsync(recorded);
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, ex, Hub, kind);
        }

        return recorded;
    }

    public async Task<IReadOnlyList<SecurityAuditEvent>> ListAsync(SecurityAuditFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Top is < 1 or > 1000)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "top must be between 1 and 1000.");
        }

        var s = state.State;
        var found = new List<SecurityAuditEvent>(Math.Min(filter.Top, 100));
        var newestSegment = SegmentOf(s.LastSequence + 1);
        for (var segment = Math.Max(s.FirstSegment, SegmentOf(filter.AfterSequence + 1)); segment < newestSegment && found.Count < filter.Top; segment++)
        {
            Collect(await Segment(segment).GetAsync(), filter, found);
        }

        Collect(s.Newest, filter, found);
        return found;
    }

    private static void Collect(IEnumerable<SecurityAuditEvent> events, SecurityAuditFilter filter, List<SecurityAuditEvent> found)
    {
        foreach (var e in events)
        {
            if (found.Count >= filter.Top)
            {
                return;
            }

            if (e.Sequence > filter.AfterSequence
                && (filter.Kind is null || e.Kind == filter.Kind)
                && (filter.Subject is null || string.Equals(e.Subject, filter.Subject, StringComparison.Ordinal))
                && (filter.Since is null || e.Time >= filter.Since))
            {
                found.Add(e);
            }
        }
    }

    /// <summary>Clears the segments beyond the history's bound; a failure leaves them for the next event to retry.</summary>
    private async Task DropOldestAsync()
    {
        var s = state.State;
        var newestSegment = SegmentOf(s.LastSequence + 1);
        if (newestSegment - s.FirstSegment <= MaxSegments)
        {
            return;
        }

        try
        {
            await Segment(s.FirstSegment).ClearAsync();
            s.FirstSegment++;
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            LogTrimFailed(logger, ex, Hub);
        }
    }

    private static long SegmentOf(long sequence) => (sequence - 1) / SegmentSize;

    private ISecurityAuditSegmentGrain Segment(long index) =>
        GrainFactory.GetGrain<ISecurityAuditSegmentGrain>(string.Concat(Hub, "/", index.ToString(CultureInfo.InvariantCulture)));

    private static string Bounded(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength];

    [LoggerMessage(Level = LogLevel.Information, Message = "Hub {Hub} security audit: {Kind} {Subject} by {Actor}")]
    private static partial void LogRecorded(ILogger logger, string hub, SecurityAuditKind kind, string subject, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub {Hub}: audit event {Kind} is stored but could not be published")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string hub, SecurityAuditKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub {Hub}: the oldest audit segment could not be cleared; retried with the next event")]
    private static partial void LogTrimFailed(ILogger logger, Exception exception, string hub);
}
