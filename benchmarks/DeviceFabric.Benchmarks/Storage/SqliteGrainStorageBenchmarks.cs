using BenchmarkDotNet.Attributes;
using DeviceFabric.Devices;
using DeviceFabric.Storage;
using DeviceFabric.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace DeviceFabric.Benchmarks.Storage;

/// <summary>
/// The single node's grain storage on a real SQLite file (WAL, synchronous=FULL): one write and one read of a device's
/// state, and 64 writes at once, which share a transaction (and its fsync) in the batched writer.
/// </summary>
[MemoryDiagnoser]
public class SqliteGrainStorageBenchmarks
{
    private const int Concurrent = 64;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "devicefabric-bench", Guid.NewGuid().ToString("N"));
    private ServiceProvider _services = null!;
    private SqliteGrainStorage _storage = null!;
    private GrainState<DeviceState> _state = null!;
    private GrainState<DeviceState>[] _many = null!;
    private GrainId _grain;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        Directory.CreateDirectory(_directory);
        var connectionString = Orleans.Hosting.StorageExtensions.SqliteConnectionString(_directory);
        SchemaInstaller.Install(StorageMode.Sqlite, connectionString);
        _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        _storage = new SqliteGrainStorage(connectionString, ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(_services));
        _grain = GrainId.Create("device", "devicefabric/bench-1");
        _state = new GrainState<DeviceState>(new DeviceState { Exists = true, GenerationId = "638000000000000001", StatusReason = "benchmark" });
        await _storage.WriteStateAsync("device", _grain, _state);
        _many = Enumerable.Range(0, Concurrent).Select(_ => new GrainState<DeviceState>(new DeviceState { Exists = true })).ToArray();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _storage.DisposeAsync();
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public Task WriteState() => _storage.WriteStateAsync("device", _grain, _state);

    [Benchmark]
    public Task ReadState() => _storage.ReadStateAsync("device", _grain, new GrainState<DeviceState>());

    [Benchmark(OperationsPerInvoke = Concurrent)]
    public Task WriteConcurrently() =>
        Task.WhenAll(_many.Select((state, i) => _storage.WriteStateAsync("device", GrainId.Create("device", $"devicefabric/bench-many-{i}"), state)));
}
