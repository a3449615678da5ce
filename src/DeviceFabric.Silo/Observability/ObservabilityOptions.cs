namespace DeviceFabric.Silo.Observability;

/// <summary>What the node exports about itself (<c>DeviceFabric:Observability</c>).</summary>
public sealed class ObservabilityOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Observability";

    /// <summary>An OTLP endpoint (e.g. <c>http://collector:4317</c>) to export metrics and traces to. Default: none.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// Whether spans are made (front end, grain calls, storage writes): each costs the hot path, so by default only when
    /// an OTLP endpoint is there to receive them. Default: on with <see cref="OtlpEndpoint"/>, off without.
    /// </summary>
    public bool? Tracing { get; set; }

    /// <summary>Whether spans are made, as <see cref="Tracing"/> resolves.</summary>
    public bool TracingEnabled => Tracing ?? !string.IsNullOrWhiteSpace(OtlpEndpoint);

    /// <summary>Whether the Orleans dashboard is served at <c>/dashboard</c> (loopback or a policy token). Default: false.</summary>
    public bool Dashboard { get; set; }
}
