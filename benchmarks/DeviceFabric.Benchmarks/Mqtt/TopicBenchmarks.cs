using BenchmarkDotNet.Attributes;
using DeviceFabric.Mqtt.Protocol;

namespace DeviceFabric.Benchmarks.Mqtt;

/// <summary>What the MQTT front end does to every telemetry publish before it reaches the event stream.</summary>
[MemoryDiagnoser]
public class TopicBenchmarks
{
    private const string Topic = "devices/thermostat-42/messages/events/%24.mid=m-1&%24.ct=application%2Fjson&%24.ce=utf-8&unit=celsius";

    [Benchmark]
    public bool ClassifyTelemetryTopic() => IotHubTopics.ClassifyPublish(Topic, "thermostat-42", out _) == PublishKind.Telemetry;

    [Benchmark]
    public int ParsePropertyBag()
    {
        IotHubTopics.ClassifyPublish(Topic, "thermostat-42", out var bag);
        var (system, application) = PropertyBag.Parse(bag);
        return system.Count + application.Count;
    }
}
