using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using DeviceFabric.Alerts;

namespace DeviceFabric.Benchmarks.Alerts;

/// <summary>
/// What a telemetry message costs the alert evaluator, per rule and device: the anomaly detector's update alone, and a
/// whole evaluation (condition over the message's document, with a window or with anomaly detection).
/// </summary>
[MemoryDiagnoser]
public class AlertBenchmarks
{
    private readonly AnomalyDetector _spikes = new(AnomalyKind.SpikeAndDip, 99.9);
    private readonly AnomalyDetector _shifts = new(AnomalyKind.ChangePoint, 99);
    private readonly AlertEngine _engine = new();
    private readonly CompiledRule _threshold = CompiledRule.Of(new AlertRule("t", AlertSource.Telemetry, "body.t > 1000"));
    private readonly CompiledRule _windowed = CompiledRule.Of(new AlertRule("w", AlertSource.Telemetry, "window.avg > 1000", Window: new AlertWindow("body.t", Messages: 10)));
    private readonly CompiledRule _anomaly = CompiledRule.Of(new AlertRule("a", AlertSource.Telemetry, string.Empty, Anomaly: new AlertAnomaly("body.t")));
    private readonly DateTimeOffset _time = DateTimeOffset.UnixEpoch;
    private double _value;

    [Benchmark]
    public bool SpikeDetectorUpdate() => _spikes.Add(Next()).Detected;

    [Benchmark]
    public bool ChangePointDetectorUpdate() => _shifts.Add(Next()).Detected;

    [Benchmark]
    public AlertEvent? ThresholdRule() => _engine.Evaluate("hub", _threshold, "device", Document(), _time);

    [Benchmark]
    public AlertEvent? WindowedRule() => _engine.Evaluate("hub", _windowed, "device", Document(), _time);

    [Benchmark]
    public AlertEvent? AnomalyRule() => _engine.Evaluate("hub", _anomaly, "device", Document(), _time);

    private double Next() => 20 + Math.Sin(_value += 0.1);

    private JsonObject Document() => new() { ["deviceId"] = "device", ["body"] = new JsonObject { ["t"] = Next() } };
}
