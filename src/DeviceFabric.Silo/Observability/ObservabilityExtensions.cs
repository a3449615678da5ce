using DeviceFabric.Api.Security;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Dashboard;

namespace DeviceFabric.Silo.Observability;

/// <summary>
/// The node seen from outside: OpenTelemetry metrics of the fabric's meters in Prometheus' format at <c>/metrics</c>,
/// metrics and traces over OTLP when an endpoint is set, <c>/healthz</c> and <c>/readyz</c>, and the Orleans dashboard
/// behind a setting. <c>/metrics</c> and the dashboard are for loopback callers or callers with a hub policy's token.
/// </summary>
internal static class ObservabilityExtensions
{
    public const string MetricsPath = "/metrics";
    public const string ReadyTag = "ready";

    public static void AddDeviceFabricObservability(this WebApplicationBuilder builder, ObservabilityOptions options, ISiloBuilder silo)
    {
        var otlp = string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? null : new Uri(options.OtlpEndpoint);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("devicefabric", serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(FabricTelemetry.Meters).AddPrometheusExporter();
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        Configure(exporter, options, otlp, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.OtlpExportInterval.TotalMilliseconds;
                    });
                }
            });
        if (options.TracingEnabled)
        {
            // A listener on the sources makes every grain call and device request create a span: only when wanted.
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(FabricTelemetry.Sources).AddAspNetCoreInstrumentation(o => o.Filter = c => c.Request.Path != MetricsPath);
                if (otlp is not null)
                {
                    tracing.AddOtlpExporter(exporter => Configure(exporter, options, otlp, "v1/traces"));
                }
            });
            silo.AddActivityPropagation();
        }
        if (options.Dashboard)
        {
            silo.AddDashboard();
        }

        builder.Services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: [ReadyTag])
            .AddCheck<SiloHealthCheck>("silo", tags: [ReadyTag])
            .AddCheck<ListenersHealthCheck>("listeners", tags: [ReadyTag]);
    }

    /// <summary>The exporter's endpoint and protocol; over HTTP the signal's path is added, as OTLP's HTTP binding wants.</summary>
    private static void Configure(OpenTelemetry.Exporter.OtlpExporterOptions exporter, ObservabilityOptions options, Uri endpoint, string signalPath)
    {
        var http = options.OtlpProtocol == "http/protobuf";
        exporter.Protocol = http ? OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf : OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;
        exporter.Endpoint = http ? new Uri(endpoint.ToString().TrimEnd('/') + "/" + signalPath) : endpoint;
    }

    public static void MapDeviceFabricObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use(OperatorAccess.RequireLoopbackOrTokenAsync), optionsName: null);

        // Liveness: the process answers. Readiness: it can serve (storage reachable, silo active, listeners up).
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = HealthResponse.WriteAsync });
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ObservabilityOptions>>().Value.Dashboard)
        {
            app.UseWhen(c => c.Request.Path.StartsWithSegments("/dashboard"), branch => branch.Use(OperatorAccess.RequireLoopbackOrTokenAsync));
            app.MapOrleansDashboard("/dashboard");
        }
    }
}
