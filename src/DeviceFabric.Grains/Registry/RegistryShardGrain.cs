using DeviceFabric.Devices;
using DeviceFabric.Storage;
using Orleans.Concurrency;

namespace DeviceFabric.Registry;

/// <summary>
/// The catalog rows of one shard of a hub, in memory and stored. Reentrant so that concurrent upserts share one
/// storage write through <see cref="GroupCommit"/>; every change to memory happens between awaits, so it stays consistent.
/// </summary>
[Reentrant]
internal sealed class RegistryShardGrain : Grain, IRegistryShardGrain
{
    private readonly IPersistentState<RegistryShardState> _state;
    private readonly GroupCommit _commit;
    private readonly SortedSet<string> _ids = new(StringComparer.Ordinal);
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
        _disabled -= existing.Status == DeviceStatus.Disabled ? 1 : 0;
        return _commit.CommitAsync();
    }

    public Task<IReadOnlyList<string>> ListAsync(string? afterDeviceId, int maxCount, CancellationToken cancellationToken = default)
    {
        if (_ids.Count == 0 || (afterDeviceId is not null && string.CompareOrdinal(afterDeviceId, _ids.Max) >= 0))
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        var view = afterDeviceId is null ? _ids : _ids.GetViewBetween(afterDeviceId, _ids.Max!);
        var page = new List<string>(Math.Min(maxCount, view.Count));
        foreach (var id in view)
        {
            if (page.Count == maxCount)
            {
                break;
            }

            if (afterDeviceId is null || string.CompareOrdinal(id, afterDeviceId) > 0)
            {
                page.Add(id);
            }
        }

        return Task.FromResult<IReadOnlyList<string>>(page);
    }

    public Task<RegistryStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        long total = _ids.Count;
        return Task.FromResult(new RegistryStatistics(total, total - _disabled, _disabled));
    }
}
