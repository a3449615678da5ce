namespace DeviceFabric.Devices;

/// <summary>
/// The device's connection history for operators: each attach and detach is kept, the latest
/// <see cref="MaxConnectionHistory"/> only, and stored with the connection state (lazily, see
/// <c>DeviceGrain.Session.cs</c>), so a flapping device costs no storage write per reconnect.
/// </summary>
internal sealed partial class DeviceGrain
{
    /// <summary>Enough to see a device flap or read why it last left, while a fleet's stored state stays small.</summary>
    public const int MaxConnectionHistory = 10;

    public Task<ConnectionHistory> GetConnectionHistoryAsync(CancellationToken cancellationToken = default)
    {
        var s = state.State;
        if (!s.Exists)
        {
            throw new DeviceFabricException(NotFoundCode, $"{Noun} {_deviceId} does not exist.");
        }

        var changes = new List<ConnectionChange>(s.ConnectionHistory);
        changes.Reverse();
        var connectionState = _live is null ? DeviceConnectionState.Disconnected : DeviceConnectionState.Connected;
        return Task.FromResult(new ConnectionHistory(connectionState, s.ConnectionStateUpdatedTime, s.LastActivityTime, changes));
    }

    private void RecordConnectionChange(DateTimeOffset time, bool connected, string? reason)
    {
        var history = state.State.ConnectionHistory;
        history.Add(new ConnectionChange(time, connected, _epoch, reason));
        if (history.Count > MaxConnectionHistory)
        {
            history.RemoveRange(0, history.Count - MaxConnectionHistory);
        }

        _connectionStateDirty = true;
    }
}
