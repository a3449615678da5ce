using DeviceFabric.Devices;
using DeviceFabric.Persistence;
using Orleans.Concurrency;

namespace DeviceFabric.Registry;

/// <summary>
/// The catalog rows and twin projections of one shard of a hub, in memory and stored as a snapshot plus a journal of the
/// changes since. Reentrant so that concurrent changes share one journal write through <see cref="GroupCommit"/>; every
/// change to memory happens between awaits, so it stays consistent. Queries are in <c>RegistryShardGrain.Query.cs</c>.
/// </summary>
[Reentrant, KeepAlive]
internal sealed partial class RegistryShardGrain : Grain, IRegistryShardGrain
{
    /// <summary>
    /// Journal length that triggers a new snapshot. A snapshot costs the whole shard (about 800 rows at 100,000 devices),
    /// a journal write costs its length: about the square root of their ratio keeps the bytes written per change least.
    /// </summary>
    private const int SnapshotEvery = 128;

    private readonly IPersistentState<RegistryShardState> _state;
    private readonly IPersistentState<RegistryShardJournal> _journal;
    private readonly GroupCommit _commit;
    private readonly SortedSet<string> _ids = new(StringComparer.Ordinal);

    /// <summary>The identity ids (<c>{deviceId}/{moduleId}</c>) of the modules of the shard's devices; their rows and twins share the device maps.</summary>
    private readonly SortedSet<string> _moduleIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _connected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Epoch, bool Connected)> _connectionEpochs = new(StringComparer.Ordinal);
    private long _disabled;
    private long _sequence;

    /// <summary>Each device's newest liveliness, in memory only (<c>RegistryShardGrain.Health.cs</c>).</summary>
    private readonly Dictionary<string, DeviceHealthReport> _health = new(StringComparer.Ordinal);
    private readonly DeviceFabric.Hosting.GrainClock _clock;
    private readonly DeviceFabric.Configurations.ConfigurationCatalogCache _catalogs;
    private readonly Microsoft.Extensions.Logging.ILogger<RegistryShardGrain> _logger;

    public RegistryShardGrain(
        [PersistentState("registry", GrainStorage.Name)] IPersistentState<RegistryShardState> state,
        [PersistentState("registryjournal", GrainStorage.Name)] IPersistentState<RegistryShardJournal> journal,
        DeviceFabric.Hosting.GrainClock clock,
        DeviceFabric.Configurations.ConfigurationCatalogCache catalogs,
        Microsoft.Extensions.Logging.ILogger<RegistryShardGrain> logger)
    {
        _catalogs = catalogs;
        _logger = logger;
        _state = state;
        _journal = journal;
        _clock = clock;
        _commit = new GroupCommit(WriteAsync);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in _state.State.Devices.Values)
        {
            Index(entry);
        }

        // Changes the snapshot already holds are skipped: replaying them over a newer snapshot would roll it back.
        foreach (var change in _journal.State.Changes.Where(c => c.Sequence > _state.State.Sequence))
        {
            Apply(change);
        }

        _sequence = Math.Max(_state.State.Sequence, _journal.State.Changes.Count > 0 ? _journal.State.Changes[^1].Sequence : 0);

        return Task.CompletedTask;
    }

    public Task UpsertAsync(DeviceEntry entry, CancellationToken cancellationToken = default)
    {
        if (_state.State.Devices.TryGetValue(entry.DeviceId, out var existing) && existing == entry)
        {
            return _commit.StoredAsync();
        }

        return RecordAsync(new ShardChange(entry.DeviceId, entry, null));
    }

    public Task RemoveAsync(string deviceId, CancellationToken cancellationToken = default) =>
        _state.State.Devices.ContainsKey(deviceId) ? RecordAsync(new ShardChange(deviceId, null, null)) : _commit.StoredAsync();

    public Task UpsertTwinAsync(string deviceId, TwinProjection twin, CancellationToken cancellationToken = default)
    {
        if (!_state.State.Devices.TryGetValue(deviceId, out var entry) || entry.GenerationId != twin.GenerationId)
        {
            return Task.CompletedTask;
        }

        if (_state.State.Twins.TryGetValue(deviceId, out var held) && held.GenerationId == twin.GenerationId
            && (held.Version > twin.Version || held == twin))
        {
            return _commit.StoredAsync();
        }

        return RecordAsync(new ShardChange(deviceId, null, twin));
    }

    public Task SetConnectionStateAsync(string deviceId, bool connected, long epoch)
    {
        if (_connectionEpochs.TryGetValue(deviceId, out var last) && (epoch < last.Epoch || (epoch == last.Epoch && !last.Connected)))
        {
            return Task.CompletedTask;
        }

        _connectionEpochs[deviceId] = (epoch, connected);
        if (connected && (_ids.Contains(deviceId) || _moduleIds.Contains(deviceId)))
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

    /// <summary>Applies a change in memory and journals it; completes once a journal write holding it is stored.</summary>
    private Task RecordAsync(ShardChange change)
    {
        change = change with { Sequence = ++_sequence };
        Apply(change);
        _journal.State.Changes.Add(change);
        return _commit.CommitAsync();
    }

    /// <summary>
    /// Stores the journal, after a new snapshot when it has grown long. Changes journaled during the snapshot write stay
    /// in the journal. A crash between the two writes leaves the older journal beside the newer snapshot; replay skips
    /// the changes the snapshot's sequence number says it holds.
    /// </summary>
    private async Task WriteAsync()
    {
        var changes = _journal.State.Changes;
        if (changes.Count >= SnapshotEvery)
        {
            var included = changes.Count;
            _state.State.Sequence = changes[^1].Sequence;
            await _state.WriteStateAsync();
            changes.RemoveRange(0, included);
        }

        await _journal.WriteStateAsync();
    }

    private void Apply(ShardChange change)
    {
        var devices = _state.State.Devices;
        var id = change.DeviceId;
        if (change.Twin is { } twin)
        {
            _state.State.Twins[id] = twin;
            return;
        }

        if (devices.TryGetValue(id, out var existing) && !Modules.ModuleIds.IsModule(id))
        {
            _disabled -= existing.Status == DeviceStatus.Disabled ? 1 : 0;
        }

        if (change.Entry is { } entry)
        {
            devices[id] = entry;
            Index(entry);
            return;
        }

        Forget(id);
        if (!Modules.ModuleIds.IsModule(id))
        {
            // A device's modules go with it, whether or not each one's own removal arrived first.
            foreach (var module in ModulesOf(id).ToList())
            {
                Forget(module);
            }
        }
    }

    private void Index(DeviceEntry entry)
    {
        if (Modules.ModuleIds.IsModule(entry.DeviceId))
        {
            _moduleIds.Add(entry.DeviceId);
            return;
        }

        _ids.Add(entry.DeviceId);
        _disabled += entry.Status == DeviceStatus.Disabled ? 1 : 0;
    }

    private void Forget(string id)
    {
        _state.State.Devices.Remove(id);
        _state.State.Twins.Remove(id);
        _ids.Remove(id);
        _moduleIds.Remove(id);
        _connected.Remove(id);
        _health.Remove(id);
        _connectionEpochs.Remove(id);
    }

    /// <summary>The identity ids of a device's modules held here.</summary>
    private IEnumerable<string> ModulesOf(string deviceId) =>
        _moduleIds.Count == 0 ? [] : _moduleIds.GetViewBetween(deviceId + "/", deviceId + "/\uffff");

    /// <summary>The shard's device ids after <paramref name="afterDeviceId"/> (all when null), in ordinal order.</summary>
    private IEnumerable<string> IdsAfter(string? afterDeviceId) => After(_ids, afterDeviceId);

    private static IEnumerable<string> After(SortedSet<string> ids, string? after)
    {
        if (ids.Count == 0 || (after is not null && string.CompareOrdinal(after, ids.Max) >= 0))
        {
            return [];
        }

        return after is null
            ? ids
            : ids.GetViewBetween(after, ids.Max!).SkipWhile(id => string.CompareOrdinal(id, after) <= 0);
    }
}
