using System.IO.Pipelines;

namespace DeviceFabric.Tests.Transport;

/// <summary>
/// A pipe reader that counts the reads made on it and, past a limit, cancels the reader's token: a reader that loops
/// on a completed input without progress shows up as a count, deterministically, without waiting on a clock.
/// </summary>
internal sealed class CountingPipeReader(PipeReader inner, int limit, CancellationTokenSource onLimit) : PipeReader
{
    public int Reads { get; private set; }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (++Reads >= limit)
        {
            await onLimit.CancelAsync();
        }

        return await inner.ReadAsync(cancellationToken);
    }

    public override bool TryRead(out ReadResult result)
    {
        Reads++;
        return inner.TryRead(out result);
    }

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);
}
