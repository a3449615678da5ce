using BenchmarkDotNet.Attributes;
using DeviceFabric.Benchmarks.Infrastructure;
using DeviceFabric.Devices;

namespace DeviceFabric.Benchmarks.Registry;

/// <summary>Registry create and get through the grain client SDK against an in-process silo (memory storage: grain and shard cost, not disk).</summary>
[MemoryDiagnoser]
public class RegistryBenchmarks
{
    private InProcessSilo _silo = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _silo = await InProcessSilo.StartAsync();
        await _silo.Client.Devices.CreateAsync("bench-existing");
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _silo.DisposeAsync();

    [Benchmark]
    public Task<DeviceIdentity> GetDevice() => _silo.Client.Devices.GetAsync("bench-existing");

    [Benchmark]
    public Task<DeviceIdentity> CreateDevice() => _silo.Client.Devices.CreateAsync("bench-" + Interlocked.Increment(ref _next));
}
