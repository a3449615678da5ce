using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace DeviceFabric.Mqtt.Transport;

/// <summary>
/// Every MQTT connection this node holds open, so a stop can cut off the ones MQTTnet could not close in time (a client
/// that stopped reading leaves MQTTnet's DISCONNECT waiting on a full socket).
/// </summary>
internal sealed class OpenConnections
{
    private readonly ConcurrentDictionary<string, ConnectionContext> _open = new(StringComparer.Ordinal);

    public int Count => _open.Count;

    /// <summary>Holds <paramref name="connection"/> until the returned registration is disposed.</summary>
    public Registration Track(ConnectionContext connection)
    {
        _open[connection.ConnectionId] = connection;
        return new Registration(this, connection);
    }

    /// <summary>Aborts every connection still open; returns how many there were.</summary>
    public int AbortAll(string reason)
    {
        var aborted = 0;
        foreach (var (_, connection) in _open)
        {
            connection.Abort(new ConnectionAbortedException(reason));
            aborted++;
        }

        return aborted;
    }

    public readonly struct Registration(OpenConnections owner, ConnectionContext connection) : IDisposable
    {
        public void Dispose() => owner._open.TryRemove(new KeyValuePair<string, ConnectionContext>(connection.ConnectionId, connection));
    }
}
