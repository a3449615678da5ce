using System.Collections.Concurrent;
using System.Net;
using DeviceFabric.Mqtt.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Mqtt.Transport;

/// <summary>
/// Caps the connections that have not authenticated yet, per source address and in all, so a flood of idle sockets from
/// anyone who can reach the port cannot exhaust the node; a connection over a cap is closed as it arrives. Also finds a
/// pending connection by its remote end point, so the CONNECT's handler can mark it accepted.
/// </summary>
internal sealed class ConnectionGate(IOptions<MqttFrontEndOptions> options, MqttInstruments instruments, TimeProvider time)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perSource = new();
    private readonly ConcurrentDictionary<EndPoint, PendingConnection> _byEndPoint = new();
    private int _total;

    /// <summary>
    /// Admits a connection under the caps and closes it unless its CONNECT is accepted within the connect timeout; a
    /// connection over a cap is closed here. Returns the admission (which the caller disposes when the connection ends),
    /// or null when it was refused.
    /// </summary>
    public PendingConnection? Admit(ConnectionContext connection)
    {
        var pending = TryAdmit(connection);
        if (pending is null)
        {
            connection.Abort(new ConnectionAbortedException("Too many connections are waiting to authenticate."));
            return null;
        }

        connection.Features.Set(pending);
        pending.CloseUnlessAuthenticatedWithin(options.Value.ConnectTimeout, time);
        return pending;
    }

    private PendingConnection? TryAdmit(ConnectionContext connection)
    {
        var remote = RemoteEndPointOf(connection);
        var source = (remote as IPEndPoint)?.Address ?? IPAddress.None;
        var limits = options.Value;
        if (Interlocked.Increment(ref _total) > limits.MaxPendingConnections)
        {
            Interlocked.Decrement(ref _total);
            instruments.ConnectionRefused("too-many-pending");
            return null;
        }

        if (_perSource.AddOrUpdate(source, 1, static (_, n) => n + 1) > limits.MaxPendingConnectionsPerAddress)
        {
            Decrement(source);
            Interlocked.Decrement(ref _total);
            instruments.ConnectionRefused("too-many-pending-from-address");
            return null;
        }

        var pending = new PendingConnection(this, connection, remote, source);
        if (remote is not null && !_byEndPoint.TryAdd(remote, pending))
        {
            // Two pending connections from one end point (HTTP/2 WebSocket streams share the TCP connection's): the
            // CONNECT's handler could not tell which one it is marking accepted, so the second one waits its turn.
            Decrement(source);
            Interlocked.Decrement(ref _total);
            instruments.ConnectionRefused("duplicate-end-point");
            return null;
        }

        return pending;
    }

    /// <summary>The pending connection of a remote end point, if it is still pending.</summary>
    public PendingConnection? Find(EndPoint? remote) =>
        remote is not null && _byEndPoint.TryGetValue(remote, out var pending) ? pending : null;

    /// <summary>The connections not yet authenticated, for tests and metrics.</summary>
    public int PendingCount => Volatile.Read(ref _total);

    internal void Expired(PendingConnection pending) => instruments.ConnectionRefused("connect-timeout");

    internal void Release(PendingConnection pending)
    {
        if (pending.RemoteEndPoint is { } remote)
        {
            _byEndPoint.TryRemove(new KeyValuePair<EndPoint, PendingConnection>(remote, pending));
        }

        Decrement(pending.Source);
        Interlocked.Decrement(ref _total);
    }

    /// <summary>
    /// The remote end point as MQTTnet reports it to the CONNECT's handler: the connection's own, or for a WebSocket the
    /// HTTP connection's (MQTTnet's <c>MqttConnectionContext.RemoteEndPoint</c>).
    /// </summary>
    private static EndPoint? RemoteEndPointOf(ConnectionContext connection) =>
        connection.RemoteEndPoint
        ?? (connection.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpConnectionFeature>() is { RemoteIpAddress: { } address } http
            ? new IPEndPoint(address, http.RemotePort)
            : null);

    private void Decrement(IPAddress source)
    {
        if (_perSource.AddOrUpdate(source, 0, static (_, n) => n - 1) <= 0)
        {
            _perSource.TryRemove(new KeyValuePair<IPAddress, int>(source, 0));
        }
    }
}
