namespace DeviceFabric.Alerts;

/// <summary>
/// Anomaly detection on one numeric telemetry field of each device, learned from that device's own history, as
/// Stream Analytics' <c>AnomalyDetection_SpikeAndDip</c> and <c>AnomalyDetection_ChangePoint</c> offer. A rule with it
/// sees <c>anomaly.detected</c>, <c>anomaly.score</c> and <c>anomaly.expected</c>; its condition defaults to
/// <c>anomaly.detected = true</c>.
/// </summary>
/// <param name="Field">The field, as a path: <c>body.temperature</c>.</param>
/// <param name="Kind">Spikes and dips (single points far from the learned level) or change points (a level shift).</param>
/// <param name="Confidence">In percent, 90 to 99.99: higher finds fewer, surer anomalies.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.AlertAnomaly")]
public sealed record AlertAnomaly(
    [property: Id(0)] string Field,
    [property: Id(1)] AnomalyKind Kind = AnomalyKind.SpikeAndDip,
    [property: Id(2)] double Confidence = 99.9);

/// <summary>What an anomaly detector looks for.</summary>
public enum AnomalyKind
{
    /// <summary>Single values far above or below the learned level.</summary>
    SpikeAndDip,

    /// <summary>A lasting shift of the level.</summary>
    ChangePoint,
}
