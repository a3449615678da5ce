using System.Net;
using Microsoft.AspNetCore.Connections;

namespace DeviceFabric.Mqtt.Transport;

/// <summary>
/// A connection that has not authenticated yet: it holds a place under the caps of <see cref="ConnectionGate"/> until its
/// CONNECT is accepted or it closes, and it is closed if neither happens by its deadline.
/// </summary>
internal sealed class PendingConnection(ConnectionGate gate, ConnectionContext connection, EndPoint? remoteEndPoint, IPAddress source) : IDisposable
{
    private int _released;
    private ITimer? _deadline;
    private TimeProvider? _time;
    private DateTimeOffset _deadlineAt;

    public ConnectionContext Connection { get; } = connection;

    /// <summary>The remote end point MQTTnet names the connection by.</summary>
    public EndPoint? RemoteEndPoint { get; } = remoteEndPoint;

    public IPAddress Source { get; } = source;

    /// <summary>The client id its CONNECT named, once accepted.</summary>
    public string? ClientId { get; private set; }

    /// <summary>The session its CONNECT opened, once accepted: the guard disconnects that session and no newer one.</summary>
    public Guid SessionId { get; private set; }

    /// <summary>Whether it speaks MQTT 5 (which has reason codes for every close), once accepted.</summary>
    public bool IsMqtt5 { get; private set; }

    public bool IsAuthenticated { get; private set; }

    /// <summary>Closes the connection unless it authenticates within <paramref name="timeout"/>.</summary>
    public void CloseUnlessAuthenticatedWithin(TimeSpan timeout, TimeProvider time)
    {
        _time = time;
        _deadlineAt = time.GetUtcNow() + timeout;
        _deadline = time.CreateTimer(static state => ((PendingConnection)state!).Expire(), this, timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Moves the deadline to <paramref name="fromNow"/> from now: a refused CONNECT whose CONNACK is held back by the
    /// login backoff must still get it, not be cut off by the connect timeout while it waits.
    /// </summary>
    public void PostponeDeadline(TimeSpan fromNow)
    {
        if (_deadline is not null && _time!.GetUtcNow() + fromNow is var at && at > _deadlineAt)
        {
            _deadlineAt = at;
            _deadline.Change(fromNow, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The CONNECT was accepted: the connection leaves the gate's count.</summary>
    public void Authenticated(string clientId, Guid sessionId, bool isMqtt5)
    {
        ClientId = clientId;
        SessionId = sessionId;
        IsMqtt5 = isMqtt5;
        IsAuthenticated = true;
        Release();
    }

    public void Dispose() => Release();

    private void Expire()
    {
        if (!IsAuthenticated)
        {
            gate.Expired(this);
            Connection.Abort(new ConnectionAbortedException("No CONNECT was accepted within the connect timeout."));
        }
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _deadline?.Dispose();
            gate.Release(this);
        }
    }
}
