using System.Runtime.CompilerServices;
using System.Text;

namespace DeviceFabric.RestClient;

/// <summary>Reads the <c>text/event-stream</c> format: <c>id:</c>, <c>event:</c> and <c>data:</c> lines, a blank line ending each event.</summary>
internal static class ServerSentEvents
{
    private const int MaxEventChars = 4 * 1024 * 1024;

    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? id = null;
        string? name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return new ServerSentEvent(id, name, data.ToString());
                }

                (id, name) = (null, null);
                data.Clear();
                continue;
            }

            if (line.StartsWith(':'))
            {
                continue; // a comment: the node's keep-alive
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    if (data.Length + value.Length > MaxEventChars)
                    {
                        throw new InvalidDataException("An event of the stream is larger than 4 MB.");
                    }

                    data.Append(data.Length > 0 ? "\n" : string.Empty).Append(value);
                    break;
            }
        }
    }
}
