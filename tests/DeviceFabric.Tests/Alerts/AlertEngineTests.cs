using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Alerts;

namespace DeviceFabric.Tests.Alerts;

/// <summary>The evaluation rules of the alert engine and the detectors, on the engine itself.</summary>
public sealed class AlertEngineTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AHugeBody_IsSummarised_AndTheEventStaysJson()
    {
        var engine = new AlertEngine();
        var rule = CompiledRule.Of(new AlertRule("big", AlertSource.Telemetry, "body.hot = true"));
        var document = new JsonObject { ["deviceId"] = "d", ["body"] = new JsonObject { ["hot"] = true, ["pad"] = new string('x', 10_000) } };

        var fired = engine.Evaluate("hub", rule, "d", document, s_start);

        Assert.NotNull(fired);
        Assert.True(JsonDocument.Parse(fired.Value).RootElement.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public void OneRulesWindow_IsNotSeenByTheNextRule()
    {
        var engine = new AlertEngine();
        var windowed = CompiledRule.Of(new AlertRule("w", AlertSource.Telemetry, "window.count > 0", Window: new AlertWindow("body.t", Messages: 5)));
        var plain = CompiledRule.Of(new AlertRule("p", AlertSource.Telemetry, "IS_DEFINED(window)"));
        var document = new JsonObject { ["deviceId"] = "d", ["body"] = JsonNode.Parse("""{"t":1}""") };

        Assert.NotNull(engine.Evaluate("hub", windowed, "d", document, s_start));
        Assert.Null(engine.Evaluate("hub", plain, "d", document, s_start));
    }

    [Fact]
    public void AfterALastingLevelShift_TheSpikeDetectorStopsFlaggingWithinItsTenSpikes()
    {
        var detector = new AnomalyDetector(AnomalyKind.SpikeAndDip, 99.9);
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            detector.Add(20 + (random.NextDouble() - 0.5));
        }

        var flagged = Enumerable.Range(0, 200).Select(_ => detector.Add(50 + (random.NextDouble() - 0.5)).Detected).ToList();

        Assert.True(flagged.Take(10).All(f => f), "the shift's first values are anomalies");
        Assert.True(flagged.Skip(15).Count(f => f) <= 2, $"{flagged.Skip(15).Count(f => f)} of the last 185 values flagged after the detector took the new level");
    }
}
