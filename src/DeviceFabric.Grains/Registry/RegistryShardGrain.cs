using DeviceFabric.Devices;
using DeviceFabric.Storage;
using Orleans.Concurrency;

namespace DeviceFabric.Registry;

/// <summary>
/// The catalog rows and twin projections of one shard of a hub, in memory and stored. Reentrant so that concurrent
/// upserts share one storage write through <see cref="GroupCommit"/>; every change to memory happens between awaits, so
/// it stays consistent. Queries are in <c>RegistryShardGrain.Query.cs</c>.
/// </summary>
[Reentrant]
internal sealed partial class RegistryShardGrain : Grain, IRegistryShardGrain
{
    private readonly IPersistentState<RegistryShardState> _state;
    private readonly GroupCommit _commit;
    private readonly SortedSet<string> _ids = new(StringComparer.Ordinal);
    private readonly HashSet<string> _connected = new(StringComparer.Ordinal);
    private long _disabled;

    public RegistryShardGrain([PersistentState("registry", GrainStorage.Name)] IPersistentState<RegistryShardState> state)
    {
        _state = state;
        _commit = new GroupCommit(() => _state.WriteStateAsync());
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in _state.State.Devices.Values)
        {
            _ids.Add(entry.DeviceId);
            _disabled += entry.Status == DeviceStatus.Disabled ? 1 : 0;
        }

        return Task.CompletedTask;
    }

    public Task UpsertAsync(DeviceEntry entry, CancellationToken cancellationToken = default)
    {
        var devices = _state.State.Devices;
        if (devices.TryGetValue(entry.DeviceId, out var existing))
        {
            if (existing == entry)
            {
                return Task.CompletedTask;
            }

            _disabled -= existing.Status == DeviceStatus.Disabled ? 1 : 0;
        }

        devices[entry.DeviceId] = entry;
        _ids.Add(entry.DeviceId);
        _disabled += entry.Status == DeviceStatus.Disabled ? 1 : 0;
        return _commit.CommitAsync();
    }

    public Task RemoveAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        if (!_state.State.Devices.Remove(deviceId, out var existing))
        {
            return Task.CompletedTask;
        }

        _ids.Remove(deviceId);
        _connected.Remove(deviceId);
        _state.State.Twins.Remove(deviceId);
        _disabled -= existing.Status == DeviceStatus.Disabled ? 1 : 0;
        return _commit.CommitAsync();
    }

    public Task UpsertTwinAsync(string deviceId, TwinProjection twin, CancellationToken cancellationToken = default)
    {
        if (!_state.State.Devices.TryGetValue(deviceId, out var entry) || entry.GenerationId != twin.GenerationId)
        {
            return Task.CompletedTask;
        }

        var twins = _state.State.Twins;
        if (twins.TryGetValue(deviceId, out var held) && held.GenerationId == twin.GenerationId
            && (held.Version > twin.Version || held == twin))
        {
            return Task.CompletedTask;
        }

        twins[deviceId] = twin;
        return _commit.CommitAsync();
    }

    public Task SetConnectionStateAsync(string deviceId, bool connected)
    {
        if (connected && _ids.Contains(deviceId))
        {
            _connected.Add(deviceId);
        }
        else
        {
            _connected.Remove(deviceId);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync(string? afterDeviceId, int maxCount, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(IdsAfter(afterDeviceId).Take(maxCount).ToList());

    public Task<RegistryStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        long total = _ids.Count;
        return Task.FromResult(new RegistryStatistics(total, total - _disabled, _disabled));
    }

    /// <summary>The shard's device ids after <paramref name="afterDeviceId"/> (all when null), in ordinal order.</summary>
    private IEnumerable<string> IdsAfter(string? afterDeviceId)
    {
        if (_ids.Count == 0 || (afterDeviceId is not null && string.CompareOrdinal(afterDeviceId, _ids.Max) >= 0))
        {
            return [];
        }

        return afterDeviceId is null
            ? _ids
            : _ids.GetViewBetween(afterDeviceId, _ids.Max!).SkipWhile(id => string.CompareOrdinal(id, afterDeviceId) <= 0);
    }
}
