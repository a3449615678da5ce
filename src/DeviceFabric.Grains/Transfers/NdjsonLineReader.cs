namespace DeviceFabric.Transfers;

/// <summary>
/// Reads a newline-delimited file a line at a time with a bounded buffer: a line longer than the limit is reported as
/// too long and skipped to its end, never held whole, so a file of any size or shape costs a fixed amount of memory.
/// </summary>
internal sealed class NdjsonLineReader(Stream stream, int maxLineBytes) : IDisposable
{
    private readonly byte[] _buffer = new byte[Math.Max(maxLineBytes, 4096) + 1];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>The bytes read so far, for progress.</summary>
    public long Position { get; private set; }

    /// <summary>The next line without its end (<c>\n</c> or <c>\r\n</c>); <c>TooLong</c> when it exceeded the limit; null at the end.</summary>
    public async ValueTask<(ReadOnlyMemory<byte> Line, bool TooLong)?> ReadAsync(CancellationToken cancellationToken)
    {
        var tooLong = false;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = new ReadOnlyMemory<byte>(_buffer, _start, newline - _start);
                Position += newline + 1 - _start;
                _start = newline + 1;
                return (tooLong ? ReadOnlyMemory<byte>.Empty : TrimCarriageReturn(line), tooLong);
            }

            if (_eof)
            {
                if (_start == _end && !tooLong)
                {
                    return null;
                }

                var last = new ReadOnlyMemory<byte>(_buffer, _start, _end - _start);
                Position += _end - _start;
                _start = _end;
                return (tooLong ? ReadOnlyMemory<byte>.Empty : TrimCarriageReturn(last), tooLong);
            }

            if (_end - _start > maxLineBytes)
            {
                // Past the limit: drop what is held of this line and keep reading to its end.
                tooLong = true;
                Position += _end - _start;
                _start = _end = 0;
            }
            else if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            _eof = read == 0;
            _end += read;
        }
    }

    public void Dispose() => stream.Dispose();

    private static ReadOnlyMemory<byte> TrimCarriageReturn(ReadOnlyMemory<byte> line) =>
        line.Length > 0 && line.Span[^1] == (byte)'\r' ? line[..^1] : line;
}
