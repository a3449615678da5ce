namespace DeviceFabric.Silo.Observability;

/// <summary>What the node exports about itself (<c>DeviceFabric:Observability</c>).</summary>
public sealed class ObservabilityOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Observability";

    /// <summary>An OTLP endpoint (e.g. <c>http://collector:4317</c>) to export metrics and traces to. Default: none.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Whether the Orleans dashboard is served at <c>/dashboard</c> (loopback or a policy token). Default: false.</summary>
    public bool Dashboard { get; set; }
}
