using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using DeviceFabric.Query;

namespace DeviceFabric.Benchmarks.Query;

/// <summary>Parsing a fleet query once, and evaluating it against one twin document (what each shard does per device).</summary>
[MemoryDiagnoser]
public class QueryBenchmarks
{
    private const string Text =
        "SELECT * FROM devices WHERE tags.location.region = 'us-west' AND properties.reported.fw IN ['1.2.0', '1.3.0'] AND NOT IS_DEFINED(tags.retired)";

    private readonly DeviceQuery _query = QueryParser.Parse(Text);
    private readonly JsonObject _twin = JsonNode.Parse("""
        {"deviceId":"thermo-1","status":"enabled","tags":{"location":{"region":"us-west","floor":3}},
         "properties":{"desired":{"interval":30},"reported":{"fw":"1.2.0","temp":21.5}}}
        """)!.AsObject();

    [Benchmark]
    public bool Parse() => QueryParser.Parse(Text).Where is not null;

    [Benchmark]
    public bool Evaluate() => _query.Matches(_twin);
}
