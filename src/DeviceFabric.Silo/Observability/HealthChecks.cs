using System.Text.Json;
using DeviceFabric.Mqtt.Hosting;
using DeviceFabric.Silo.Hosting;
using DeviceFabric.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Silo.Observability;

/// <summary>Ready when the node's storage answers a fresh connection's query.</summary>
internal sealed class StorageHealthCheck(IOptions<StorageOptions> storage, IOptions<NodeOptions> node) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await StorageProbe.CheckAsync(storage.Value, node.Value.DataPath, cancellationToken) is { } problem
            // /readyz is public: the details (hosts, paths) go to the log only, with the health check's own line.
            ? HealthCheckResult.Unhealthy("storage unreachable", new InvalidOperationException(problem))
            : HealthCheckResult.Healthy("storage answers");
}

/// <summary>Ready while the silo is active: grain calls are served (checked with a call to the hub's grain).</summary>
internal sealed class SiloHealthCheck(IGrainFactory grains, IOptions<DeviceFabric.Hubs.HubOptions> hubs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await grains.GetGrain<DeviceFabric.Security.IHubGrain>(hubs.Value.Default.Name).GetAccessPoliciesAsync(timeout.Token);
            return HealthCheckResult.Healthy("silo active");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return HealthCheckResult.Unhealthy("silo not serving grain calls", ex);
        }
    }
}

/// <summary>Ready once the MQTT listeners accept devices.</summary>
internal sealed class ListenersHealthCheck(MqttFrontEndReadiness mqtt) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(mqtt.Ready.IsCompletedSuccessfully ? HealthCheckResult.Healthy("MQTT listening") : HealthCheckResult.Unhealthy("MQTT not started"));
}

/// <summary>The readiness answer as JSON: the overall status and each check's, with its description.</summary>
internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => new Dictionary<string, string?> { ["status"] = e.Value.Status.ToString(), ["description"] = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
