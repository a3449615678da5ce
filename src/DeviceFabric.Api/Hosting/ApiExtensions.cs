using DeviceFabric.Api.Alerts;
using DeviceFabric.Api.CloudToDevice;
using DeviceFabric.Api.Configurations;
using DeviceFabric.Api.Devices;
using DeviceFabric.Api.Hosting;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Jobs;
using DeviceFabric.Api.Methods;
using DeviceFabric.Api.Modules;
using DeviceFabric.Api.Provisioning;
using DeviceFabric.Api.Query;
using DeviceFabric.Api.Security;
using DeviceFabric.Api.Twins;
using DeviceFabric.Api.Updates;
using DeviceFabric.Hubs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Registers and maps the fabric's IoT-Hub-compatible REST API.</summary>
public static class ApiExtensions
{
    /// <summary>Adds the services the REST API needs; idempotent.</summary>
    public static IServiceCollection AddDeviceFabricApi(this IServiceCollection services)
    {
        // HubOptions are bound by the host, once: binding a list twice would list every hub twice.
        services.AddOptions<HubOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ServiceAuthenticator>();
        services.TryAddSingleton<CertificateExpiry>();
        services.AddOptions<DeviceFabric.Security.CertificateOptions>();
        services.TryAddSingleton<DeviceFabric.Api.Provisioning.ProvisioningAuthenticator>();
        services.AddOptions<DeviceFabric.Provisioning.ProvisioningOptions>();
        services.AddOptions<DeviceFabric.Updates.UpdateOptions>();
        services.AddOptions<DeviceFabric.DigitalTwins.DigitalTwinOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Routing.MatcherPolicy, DeviceFabric.Api.DigitalTwins.DigitalTwinsListenerPolicy>());
        services.TryAddSingleton<DeviceFabricErrorFilter>();
        services.AddOpenApi(OpenApiDocument.Configure);

        // Typed results serialize REST bodies with the Contracts' source-generated metadata and IoT Hub's JSON habits.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, DeviceFabric.Contracts.ContractsJsonContext.Default);
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        });
        return services;
    }

    /// <summary>
    /// Maps the REST API at the root, as IoT Hub's (<c>/devices/{id}</c>...); <c>api-version</c> is accepted and ignored.
    /// Its OpenAPI document is at <c>/openapi/v1.json</c>, readable without a token.
    /// </summary>
    public static RouteGroupBuilder MapDeviceFabricApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(OpenApiDocument.Path);
        DeviceFabric.Api.DigitalTwins.DigitalTwinsEndpoints.MapDigitalTwins(endpoints);
        var api = endpoints.MapGroup(string.Empty);
        api.AddEndpointFilter<DeviceFabricErrorFilter>();
        foreach (var error in OpenApiDocument.ErrorResponses)
        {
            api.WithMetadata(error);
        }

        api.MapDevices();
        api.MapActivity();
        api.MapModules();
        api.MapModuleTwins();
        api.MapConfigurations();
        api.MapUpdates();
        api.MapUpdateImports();
        api.MapUpdateDeployments();
        api.MapUpdateDownloads();
        api.MapKeys();
        api.MapCertificates();
        api.MapSecurityEvents();
        api.MapAlerts();
        DeviceFabric.Api.Telemetry.EventsEndpoints.MapTelemetryEvents(api);
        DeviceFabric.Api.Routing.RoutingEndpoints.MapRouting(api);
        api.MapTwins();
        api.MapMethods();
        api.MapCloudToDevice();
        api.MapQuery();
        api.MapJobs();
        api.MapImportExport();
        api.MapProvisioning();
        return api;
    }
}
