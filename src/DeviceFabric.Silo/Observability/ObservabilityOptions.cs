namespace DeviceFabric.Silo.Observability;

/// <summary>What the node exports about itself (<c>DeviceFabric:Observability</c>).</summary>
public sealed class ObservabilityOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Observability";

    /// <summary>An OTLP endpoint (e.g. <c>http://collector:4317</c>) to export metrics and traces to. Default: none.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (OTLP's default, port 4317) or <c>http/protobuf</c> (port 4318, paths <c>/v1/metrics</c>, <c>/v1/traces</c>). Default: grpc.</summary>
    [System.ComponentModel.DataAnnotations.RegularExpression("^(grpc|http/protobuf)$")]
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>How often metrics are pushed over OTLP. Default: 60 seconds.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OtlpExportInterval { get; set; } = TimeSpan.FromSeconds(60);

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
