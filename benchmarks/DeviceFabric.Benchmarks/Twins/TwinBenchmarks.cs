using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using DeviceFabric.Benchmarks.Infrastructure;
using DeviceFabric.Twins;

namespace DeviceFabric.Benchmarks.Twins;

/// <summary>
/// The reported-patch path: merging a small patch into a section of 20 properties with the limit checks, and the whole
/// grain call through the SDK's grain (memory storage, so the cost of JSON and grains, not of disk).
/// </summary>
[MemoryDiagnoser]
public class TwinBenchmarks
{
    private static readonly DateTimeOffset s_now = DateTimeOffset.UnixEpoch;
    private TwinSection _section = null!;
    private JsonObject _patch = null!;
    private InProcessSilo _silo = null!;
    private ITwinSessionGrain _twin = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var properties = new JsonObject();
        for (var i = 0; i < 20; i++)
        {
            properties[$"property{i}"] = new JsonObject { ["value"] = i, ["unit"] = "celsius" };
        }

        _section = new TwinSection("properties.reported", TwinRules.PropertiesMaxBytes, [], [], 1);
        _section.Apply(properties, s_now);
        _patch = (JsonObject)JsonNode.Parse("""{"property3":{"value":42},"battery":87}""")!;

        _silo = await InProcessSilo.StartAsync();
        await _silo.Client.Devices.CreateAsync("bench-twin");
        _twin = _silo.GrainFactory.GetGrain<ITwinSessionGrain>("devicefabric/bench-twin");
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _silo.DisposeAsync();

    [Benchmark]
    public long MergeReportedPatch() => _section.Apply(_patch, s_now);

    [Benchmark]
    public Task<long> PatchReportedThroughTheGrain() =>
        _twin.PatchReportedAsync(System.Text.Encoding.UTF8.GetBytes($$"""{"counter":{{Interlocked.Increment(ref _next)}},"battery":87}"""));
}
